/**
 * Entry of the bare React Native example. The random-values polyfill comes first: Hermes has no
 * `crypto.getRandomValues`, and the device key is made from it.
 */
import 'react-native-get-random-values';
import { AppRegistry } from 'react-native';
import { App } from './app.js';

AppRegistry.registerComponent('QrLoginBare', () => App);
