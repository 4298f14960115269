/**
 * The whole bare React Native app: set-up (register once), camera scan with
 * react-native-vision-camera 5, the confirm screen and the result, driven by the
 * `@qrlogin/app/react` hooks. Styling is kept to a minimum; the confirm screen's content is the point.
 */
import { useDevice, useQrLogin } from '@qrlogin/app/react';
import { Button, SafeAreaView, StyleSheet, Text, TextInput, View } from 'react-native';
import { Camera, isScannedCode, useCameraPermission, useObjectOutput } from 'react-native-vision-camera';
import { hostAuthHeaders, QRLOGIN_BASE_URL, signedInUserId } from './config.js';
import { beforeSign, deviceIdStore, keyStore } from './stores.js';
import { useLoginLinks } from './use-login-links.js';

// Module scope: the hooks need the same stores and options on every render.
const deviceOptions = { baseUrl: QRLOGIN_BASE_URL, keyStore, deviceIdStore, app: { beforeSign } };

export function App() {
  const device = useDevice(deviceOptions);
  const login = useQrLogin(device.app);
  const camera = useCameraPermission();
  useLoginLinks(device.app ? login.onScan : null);
  const qrOutput = useObjectOutput({
    types: ['qr'],
    onObjectsScanned: (objects) => {
      const code = objects.find(isScannedCode);
      if (code?.value) login.onScan(code.value); // handled once until scanAgain()
    },
  });

  if (device.phase !== 'ready') {
    return (
      <SafeAreaView style={styles.centered}>
        <Text style={styles.text}>Sign in on computers by scanning a code with this phone.</Text>
        {device.error ? <Text style={styles.error}>{device.error.text}</Text> : null}
        <Button
          title="Turn on QR sign-in"
          disabled={device.phase === 'loading' || device.phase === 'registering'}
          onPress={() =>
            void device.register({ label: 'My phone', userId: signedInUserId(), headers: hostAuthHeaders() })
          }
        />
      </SafeAreaView>
    );
  }

  if (login.phase === 'scanning' || login.phase === 'loading') {
    if (!camera.hasPermission) {
      return (
        <SafeAreaView style={styles.centered}>
          <Text style={styles.text}>Allow the camera to scan the code on the computer's screen.</Text>
          <Button title="Allow camera" onPress={() => void camera.requestPermission()} />
        </SafeAreaView>
      );
    }
    return (
      <View style={styles.fill}>
        <Camera style={styles.fill} device="back" isActive={login.phase === 'scanning'} outputs={[qrOutput]} />
        <Text style={styles.banner}>
          Only scan codes shown on the computer where you are signing in. Anyone who sends you a code wants to sign in
          as you.
        </Text>
      </View>
    );
  }

  const request = login.request;
  if ((login.phase === 'deciding' || login.phase === 'sending') && request) {
    const { requester, proximity } = request;
    return (
      <SafeAreaView style={styles.centered}>
        <Text style={styles.title}>Sign in to {request.origin}?</Text>
        <Text style={styles.text}>
          {requester.browser || 'A browser'} on {requester.os || 'a computer'}, {requester.place ?? requester.ip}
        </Text>
        {proximity.distance === 'far' ? (
          <Text style={styles.error}>This request comes from a different place than your phone.</Text>
        ) : null}
        {request.codeRequired ? (
          <TextInput
            style={styles.input}
            value={login.code}
            onChangeText={login.setCode}
            keyboardType="number-pad"
            maxLength={2}
            placeholder="Number shown on the computer"
          />
        ) : null}
        <Text style={styles.text}>{login.secondsLeft} s left</Text>
        {login.error ? <Text style={styles.error}>{login.error.text}</Text> : null}
        <View style={styles.row}>
          <Button title="Reject" disabled={login.phase === 'sending'} onPress={() => void login.reject()} />
          <Button title="Confirm" disabled={login.phase === 'sending'} onPress={() => void login.confirm()} />
        </View>
      </SafeAreaView>
    );
  }

  return (
    <SafeAreaView style={styles.centered}>
      <Text style={styles.title}>
        {login.result?.state === 'confirmed'
          ? 'You are signed in on the computer.'
          : login.result
            ? 'Sign-in rejected. Nobody was signed in.'
            : (login.error?.text ?? '')}
      </Text>
      <Button title="Scan another code" onPress={login.scanAgain} />
    </SafeAreaView>
  );
}

const styles = StyleSheet.create({
  fill: { flex: 1 },
  centered: { flex: 1, justifyContent: 'center', padding: 24, gap: 16 },
  title: { fontSize: 20, fontWeight: '600' },
  text: { fontSize: 16 },
  error: { fontSize: 16, color: '#b00020' },
  input: { fontSize: 24, borderWidth: 1, padding: 8, textAlign: 'center' },
  row: { flexDirection: 'row', justifyContent: 'space-between' },
  banner: { position: 'absolute', bottom: 32, left: 16, right: 16, color: 'white', fontSize: 14 },
});
