/**
 * QR input by camera, where the browser offers both `BarcodeDetector` (Chrome on Android, macOS
 * and ChromeOS; Safari behind a flag) and `getUserMedia`. Elsewhere the page offers pasting the
 * link instead, so no QR decoder has to ship with the demo.
 */

interface DetectedBarcode {
  rawValue: string;
}
interface BarcodeDetectorLike {
  detect(source: HTMLVideoElement): Promise<DetectedBarcode[]>;
}
type BarcodeDetectorConstructor = new (options: { formats: string[] }) => BarcodeDetectorLike;

const detectorClass = () => (globalThis as { BarcodeDetector?: BarcodeDetectorConstructor }).BarcodeDetector;

/**
 * True when {@link readQrFromCamera} can work here. The camera also needs a secure context
 * (`https:` or `localhost`).
 *
 * @example
 * cameraButton.hidden = !cameraSupported();
 */
export function cameraSupported(): boolean {
  return detectorClass() !== undefined && typeof navigator.mediaDevices?.getUserMedia === 'function';
}

const SCAN_INTERVAL_MS = 200;

/**
 * Shows the back camera in `video` and resolves with the text of the first QR code it sees.
 * The camera is released when this settles, including when `signal` aborts (rejects with the
 * abort reason).
 *
 * @example
 * const text = await readQrFromCamera(videoElement, controller.signal);
 */
export async function readQrFromCamera(video: HTMLVideoElement, signal: AbortSignal): Promise<string> {
  const Detector = detectorClass();
  if (!Detector) throw new Error('this browser has no BarcodeDetector');
  const detector = new Detector({ formats: ['qr_code'] });
  const stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false });
  try {
    signal.throwIfAborted();
    video.srcObject = stream;
    await video.play();
    for (;;) {
      signal.throwIfAborted();
      const [code] = await detector.detect(video);
      if (code?.rawValue) return code.rawValue;
      await new Promise<void>((resolve) => setTimeout(resolve, SCAN_INTERVAL_MS));
    }
  } finally {
    for (const track of stream.getTracks()) track.stop();
    video.srcObject = null;
  }
}
