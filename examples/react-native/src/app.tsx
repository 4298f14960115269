/**
 * The flow: set up the device → scan a code → confirm screen → result. One screen at a time,
 * chosen by a small state machine, so a slow network can never show two decisions at once.
 */
import type { DecisionResponse, LoginRequest, QrLoginApp } from '@qrlogin/app';
import { useEffect, useState } from 'react';
import { ActivityIndicator, SafeAreaView, StyleSheet, Text } from 'react-native';
import { loadQrLoginApp } from './device.js';
import { errorText } from './error-text.js';
import { ConfirmScreen } from './screens/confirm-screen.js';
import { ResultScreen } from './screens/result-screen.js';
import { ScanScreen } from './screens/scan-screen.js';

type Step =
  | { name: 'loading' }
  | { name: 'setup-failed'; message: string }
  | { name: 'scan'; app: QrLoginApp }
  | { name: 'confirm'; app: QrLoginApp; request: LoginRequest }
  | { name: 'result'; app: QrLoginApp; outcome: DecisionResponse['state'] | 'failed'; message?: string };

export function App() {
  const [step, setStep] = useState<Step>({ name: 'loading' });

  useEffect(() => {
    loadQrLoginApp().then(
      (app) => setStep({ name: 'scan', app }),
      (err: unknown) => setStep({ name: 'setup-failed', message: errorText(err) }),
    );
  }, []);

  return <SafeAreaView style={styles.root}>{render(step, setStep)}</SafeAreaView>;
}

function render(step: Step, setStep: (step: Step) => void) {
  switch (step.name) {
    case 'loading':
      return <ActivityIndicator size="large" />;
    case 'setup-failed':
      return <Text style={styles.error}>{step.message}</Text>;
    case 'scan':
      return (
        <ScanScreen app={step.app} onRequest={(request) => setStep({ name: 'confirm', app: step.app, request })} />
      );
    case 'confirm':
      return (
        <ConfirmScreen
          request={step.request}
          onDone={(outcome, message) => setStep({ name: 'result', app: step.app, outcome, message })}
        />
      );
    case 'result':
      return (
        <ResultScreen
          outcome={step.outcome}
          message={step.message}
          onScanAgain={() => setStep({ name: 'scan', app: step.app })}
        />
      );
  }
}

const styles = StyleSheet.create({
  root: { flex: 1, backgroundColor: '#fff' },
  error: { margin: 24, fontSize: 16, color: '#b00020' },
});
