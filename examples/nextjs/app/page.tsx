import { QrLoginBox } from './qr-login-box';

export default function Page() {
  return (
    <main>
      <h1>Sign in</h1>
      <p>Scan the code with the app where you are already signed in.</p>
      <QrLoginBox />
    </main>
  );
}
