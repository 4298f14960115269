// Installs crypto.getRandomValues on Hermes. @qrlogin/app looks it up when a key is first made, so
// this import may sit anywhere before that; first is simply the easiest place to keep it.
import 'react-native-get-random-values';
import { registerRootComponent } from 'expo';
import { App } from './app.js';

registerRootComponent(App);
