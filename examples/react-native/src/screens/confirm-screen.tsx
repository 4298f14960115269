/**
 * The confirm screen: who is asking, from where, and two equally prominent answers. The user must
 * be able to tell a login they started on their own computer from one an attacker started
 * elsewhere, so the requester's browser, system, place / IP, time and network come first, and
 * Reject is exactly as big and as easy to reach as Confirm.
 */
import type { DecisionResponse, LoginRequest } from '@qrlogin/app';
import { useEffect, useState } from 'react';
import { Pressable, ScrollView, StyleSheet, Text, TextInput, View } from 'react-native';
import { errorText } from '../error-text.js';

type Outcome = DecisionResponse['state'] | 'failed';

function secondsLeft(request: LoginRequest): number {
  return Math.max(0, Math.round((request.localExpiresAt - Date.now()) / 1000));
}

export function ConfirmScreen({
  request,
  onDone,
}: {
  request: LoginRequest;
  onDone: (outcome: Outcome, message?: string) => void;
}) {
  const [code, setCode] = useState('');
  const [sending, setSending] = useState(false);
  const [left, setLeft] = useState(() => secondsLeft(request));
  const { requester, proximity } = request;

  useEffect(() => {
    const timer = setInterval(() => setLeft(secondsLeft(request)), 1000);
    return () => clearInterval(timer);
  }, [request]);

  const answer = async (decide: () => Promise<DecisionResponse>) => {
    setSending(true);
    try {
      onDone((await decide()).state);
    } catch (err) {
      onDone('failed', errorText(err));
    }
  };

  const device = [requester.browser, requester.os].filter(Boolean).join(' on ') || 'An unknown browser';
  const where = requester.place ? `${requester.place} (${requester.ip})` : requester.ip;
  const when = new Date(requester.createdAt).toLocaleTimeString();

  return (
    <ScrollView contentContainerStyle={styles.page}>
      <Text accessibilityRole="header" style={styles.title}>
        Sign in to {request.origin}?
      </Text>
      <View style={styles.card}>
        <Row label="Device" value={device} />
        <Row label="Location" value={where} />
        <Row label="Requested at" value={when} />
        {/* With the server's proximity policy off, the network is not compared: say nothing rather than guess. */}
        {proximity.policy === 'off' ? null : (
          <Row label="Network" value={proximity.sameNetwork ? 'Same network as this phone' : 'A different network'} />
        )}
      </View>
      {proximity.distance === 'far' ? (
        <Text accessibilityRole="alert" style={styles.warning}>
          This request comes from a different place than your phone. If you are not at that computer, reject it.
        </Text>
      ) : null}
      <Text style={styles.hint}>
        Only continue if you are signing in on this computer right now. Never approve a code someone sent you.
      </Text>
      {request.codeRequired ? (
        <TextInput
          style={styles.code}
          value={code}
          onChangeText={setCode}
          keyboardType="number-pad"
          maxLength={2}
          placeholder="Number shown on the computer"
          accessibilityLabel="Number shown on the computer"
          autoFocus
        />
      ) : null}
      <Text style={styles.hint}>Expires in {left} s</Text>
      <View style={styles.buttons}>
        <Pressable
          accessibilityRole="button"
          disabled={sending}
          style={[styles.button, styles.reject]}
          onPress={() => void answer(() => request.reject())}
        >
          <Text style={styles.rejectText}>Reject</Text>
        </Pressable>
        <Pressable
          accessibilityRole="button"
          disabled={sending || left === 0}
          style={[styles.button, styles.confirm]}
          onPress={() => void answer(() => request.confirm({ code }))}
        >
          <Text style={styles.confirmText}>Confirm</Text>
        </Pressable>
      </View>
    </ScrollView>
  );
}

function Row({ label, value }: { label: string; value: string }) {
  return (
    <View style={styles.row}>
      <Text style={styles.label}>{label}</Text>
      <Text style={styles.value} selectable>
        {value}
      </Text>
    </View>
  );
}

const styles = StyleSheet.create({
  page: { padding: 24 },
  title: { fontSize: 22, fontWeight: '600', marginBottom: 16 },
  card: { borderWidth: 1, borderColor: '#ddd', borderRadius: 8, padding: 12, marginBottom: 16 },
  row: { flexDirection: 'row', justifyContent: 'space-between', paddingVertical: 6 },
  label: { color: '#555', fontSize: 15 },
  value: { fontSize: 15, fontWeight: '500', flexShrink: 1, textAlign: 'right' },
  warning: { color: '#b00020', fontSize: 15, marginBottom: 12 },
  hint: { color: '#333', fontSize: 15, marginBottom: 12 },
  code: { borderWidth: 1, borderColor: '#888', borderRadius: 8, fontSize: 24, padding: 12, marginBottom: 12 },
  // Same size, same weight, side by side: rejecting must never be the harder choice.
  buttons: { flexDirection: 'row', gap: 12, marginTop: 8 },
  button: { flex: 1, borderRadius: 8, paddingVertical: 16, borderWidth: 2 },
  reject: { borderColor: '#b00020', backgroundColor: '#fff' },
  confirm: { borderColor: '#1a73e8', backgroundColor: '#1a73e8' },
  rejectText: { color: '#b00020', fontSize: 17, fontWeight: '600', textAlign: 'center' },
  confirmText: { color: '#fff', fontSize: 17, fontWeight: '600', textAlign: 'center' },
});
