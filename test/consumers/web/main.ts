// The login page as a Vite app builds it: the element plus the headless client, from the tarball.
import '@qrlogin/browser/element';
import { createQrLoginClient } from '@qrlogin/browser';
import { addPromptButton } from '@qrlogin/browser/prompt';

const client = createQrLoginClient({ baseUrl: '/qrlogin' });
client.on('state', (snapshot) => console.log(snapshot.state));

// "Send a prompt to my phone" where the host rendered `prompt` (linked browsers).
const element = document.querySelector('qr-login');
if (element?.hasAttribute('prompt')) addPromptButton(element);
