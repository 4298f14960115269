// The login page as a Vite app builds it: the element plus the headless client, from the tarball.
import '@qrlogin/browser/element';
import { createQrLoginClient } from '@qrlogin/browser';

const client = createQrLoginClient({ baseUrl: '/qrlogin' });
client.on('state', (snapshot) => console.log(snapshot.state));
