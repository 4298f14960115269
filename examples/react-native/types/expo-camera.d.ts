/**
 * Minimal ambient types for `expo-camera` (SDK 50+ `CameraView` API), a subset of the types the
 * package ships. Delete in a real app.
 */
declare module 'expo-camera' {
  import type { ReactNode } from 'react';
  import type { ViewProps } from 'react-native';

  export interface BarcodeScanningResult {
    /** Barcode format, e.g. `qr`. */
    type: string;
    /** The decoded text. */
    data: string;
  }

  export interface CameraViewProps extends ViewProps {
    facing?: 'front' | 'back';
    barcodeScannerSettings?: { barcodeTypes: ReadonlyArray<'qr' | 'pdf417' | 'ean13' | 'code128'> };
    /** Pass `undefined` to stop scanning (e.g. while a scan is being handled). */
    onBarcodeScanned?: (result: BarcodeScanningResult) => void;
  }
  export function CameraView(props: CameraViewProps): ReactNode;

  export interface PermissionResponse {
    granted: boolean;
    canAskAgain: boolean;
    status: 'granted' | 'denied' | 'undetermined';
  }
  export function useCameraPermissions(): [
    PermissionResponse | null,
    () => Promise<PermissionResponse>,
    () => Promise<PermissionResponse>,
  ];
}
