/**
 * Camera scan. Every code goes through `app.scan`, which refuses other sites' codes before any
 * network call; the camera stops reporting codes while one is being handled.
 */
import type { LoginRequest, QrLoginApp } from '@qrlogin/app';
import { CameraView, useCameraPermissions } from 'expo-camera';
import { useRef, useState } from 'react';
import { Pressable, StyleSheet, Text, View } from 'react-native';
import { errorText } from '../error-text.js';

export function ScanScreen({ app, onRequest }: { app: QrLoginApp; onRequest: (request: LoginRequest) => void }) {
  const [permission, requestPermission] = useCameraPermissions();
  const [message, setMessage] = useState<string | null>(null);
  const busy = useRef(false);
  const [scanning, setScanning] = useState(true);

  if (!permission) return null;
  if (!permission.granted) {
    return (
      <View style={styles.centered}>
        <Text style={styles.text}>To sign in on a computer, allow the camera to scan the code on its screen.</Text>
        <Pressable accessibilityRole="button" style={styles.button} onPress={() => void requestPermission()}>
          <Text style={styles.buttonText}>Allow camera</Text>
        </Pressable>
      </View>
    );
  }

  const handle = async (data: string) => {
    if (busy.current) return;
    busy.current = true;
    setScanning(false);
    try {
      onRequest(await app.scan(data));
    } catch (err) {
      setMessage(errorText(err));
      setScanning(true);
    } finally {
      busy.current = false;
    }
  };

  return (
    <View style={styles.fill}>
      <CameraView
        style={styles.fill}
        facing="back"
        barcodeScannerSettings={{ barcodeTypes: ['qr'] }}
        onBarcodeScanned={scanning ? ({ data }) => void handle(data) : undefined}
      />
      <View style={styles.banner}>
        <Text style={styles.bannerText}>
          Scan the code shown on the computer where you are signing in. Never scan a sign-in code that someone sent you
          — whoever sent it would be signed in as you.
        </Text>
        {message ? (
          <Text accessibilityRole="alert" style={styles.error}>
            {message}
          </Text>
        ) : null}
      </View>
    </View>
  );
}

const styles = StyleSheet.create({
  fill: { flex: 1 },
  centered: { flex: 1, justifyContent: 'center', padding: 24 },
  text: { fontSize: 16, marginBottom: 16 },
  button: { backgroundColor: '#1a73e8', borderRadius: 8, padding: 16 },
  buttonText: { color: '#fff', fontSize: 16, textAlign: 'center' },
  banner: { position: 'absolute', left: 0, right: 0, bottom: 0, padding: 16, backgroundColor: 'rgba(0,0,0,0.7)' },
  bannerText: { color: '#fff', fontSize: 15 },
  error: { color: '#ffb4ab', fontSize: 15, marginTop: 8 },
});
