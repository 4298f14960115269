/**
 * The page a phone camera without the app opens from the QR URL. Static text only: nothing from
 * the request is written into it, so it cannot be used for injection.
 */
export const LANDING_PAGE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>Sign in with the app</title>
</head>
<body>
<h1>Open this code in the app</h1>
<p>This QR code signs you in to a website on another screen, with the site's own mobile app, where you are
already signed in. It opened here because that app is not installed on this phone (or your camera opened the
link in the browser instead).</p>
<ol>
<li>Install the site's app from your app store and sign in to it, if you have not yet.</li>
<li>Open the app and scan the code from inside it (or tap "Open in app" again).</li>
<li>Check the details the app shows before you confirm.</li>
</ol>
<p>Nothing can be signed in from this page.</p>
<p><strong>Never scan a sign-in code that someone sent you</strong> or showed you on a page you did not open
yourself: it would sign them in as you.</p>
</body>
</html>
`;
