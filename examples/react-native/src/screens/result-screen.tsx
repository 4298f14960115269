/**
 * The outcome, in words that say what happened on the computer.
 */
import type { DecisionResponse } from '@qrlogin/app';
import { Pressable, StyleSheet, Text, View } from 'react-native';

const TEXT: Partial<Record<DecisionResponse['state'], string>> = {
  confirmed: 'You are signed in on the computer.',
  rejected: 'Sign-in rejected. Nobody was signed in.',
};

export function ResultScreen({
  outcome,
  message,
  onScanAgain,
}: {
  outcome: DecisionResponse['state'] | 'failed';
  message: string | undefined;
  onScanAgain: () => void;
}) {
  const text = outcome === 'failed' ? (message ?? 'Something went wrong.') : (TEXT[outcome] ?? `Sign-in ${outcome}.`);
  return (
    <View style={styles.page}>
      <Text accessibilityRole="alert" style={[styles.text, outcome === 'failed' && styles.failed]}>
        {text}
      </Text>
      <Pressable accessibilityRole="button" style={styles.button} onPress={onScanAgain}>
        <Text style={styles.buttonText}>Done</Text>
      </Pressable>
    </View>
  );
}

const styles = StyleSheet.create({
  page: { flex: 1, justifyContent: 'center', padding: 24 },
  text: { fontSize: 18, marginBottom: 24 },
  failed: { color: '#b00020' },
  button: { backgroundColor: '#1a73e8', borderRadius: 8, padding: 16 },
  buttonText: { color: '#fff', fontSize: 16, textAlign: 'center' },
});
