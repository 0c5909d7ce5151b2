// The verification page (docs/BROWSER.md). It decides nothing itself: every verdict is the
// registry's Verification service (CertificateVerifier), called with gRPC-Web. QR codes in photos,
// scans and PDFs are read by the registry (POST /paper/decode, the same reader as kpreg); camera
// frames are read here with jsQR (served by the registry, from npm), and their text decoded there.
'use strict';

(() => {
  // ---- Protocol buffers: just what these messages need (varints and length-delimited fields). ----

  function varint(value) {
    const out = [];
    while (value > 0x7f) { out.push((value & 0x7f) | 0x80); value = Math.floor(value / 128); }
    out.push(value);
    return out;
  }

  function field(number, bytes) {
    return [...varint(number * 8 + 2), ...varint(bytes.length), ...bytes];
  }

  const utf8 = new TextEncoder();
  const text = new TextDecoder();

  // Reads a message into { fieldNumber: [values] }: varints as numbers, length-delimited as bytes.
  function readMessage(bytes) {
    const fields = {};
    let i = 0;
    const next = () => {
      let result = 0, shift = 1;
      for (;;) {
        if (i >= bytes.length) throw new Error('a truncated protobuf message');
        const b = bytes[i++];
        result += (b & 0x7f) * shift;
        if (b < 0x80) return result;
        shift *= 128;
      }
    };
    while (i < bytes.length) {
      const key = next();
      const number = Math.floor(key / 8), wire = key % 8;
      let value;
      if (wire === 0) value = next();
      else if (wire === 2) { const length = next(); value = bytes.subarray(i, i + length); i += length; }
      else if (wire === 1) { i += 8; continue; }
      else if (wire === 5) { i += 4; continue; }
      else throw new Error('an unsupported protobuf wire type');
      (fields[number] ||= []).push(value);
    }
    return fields;
  }

  const str = (f, n) => (f[n] ? text.decode(f[n][f[n].length - 1]) : '');
  const strs = (f, n) => (f[n] || []).map((b) => text.decode(b));
  const num = (f, n) => (f[n] ? f[n][f[n].length - 1] : 0);
  const msg = (f, n) => (f[n] ? readMessage(f[n][f[n].length - 1]) : null);
  // Repeated enums arrive packed (one length-delimited run of varints) or one by one.
  function packed(bytes) {
    const out = [];
    for (let i = 0; i < bytes.length;) {
      let value = 0, shift = 1, b;
      do { b = bytes[i++]; value += (b & 0x7f) * shift; shift *= 128; } while (b >= 0x80 && i < bytes.length);
      out.push(value);
    }
    return out;
  }
  const enums = (f, n) => (f[n] || []).flatMap((v) => (typeof v === 'number' ? [v] : packed(v)));

  // ---- gRPC-Web (https://github.com/grpc/grpc/blob/master/doc/PROTOCOL-WEB.md) ----

  async function grpcWeb(method, requestBytes) {
    const body = new Uint8Array(5 + requestBytes.length);
    new DataView(body.buffer).setUint32(1, requestBytes.length);
    body.set(requestBytes, 5);
    const response = await fetch(method, {
      method: 'POST',
      headers: { 'content-type': 'application/grpc-web+proto', 'x-grpc-web': '1', accept: 'application/grpc-web+proto' },
      body,
    });
    const bytes = new Uint8Array(await response.arrayBuffer());
    let message = null;
    const trailers = {};
    for (let i = 0; i + 5 <= bytes.length;) {
      const flag = bytes[i];
      const length = new DataView(bytes.buffer, bytes.byteOffset + i + 1, 4).getUint32(0);
      const frame = bytes.subarray(i + 5, i + 5 + length);
      i += 5 + length;
      if (flag & 0x80) {
        for (const line of text.decode(frame).split('\r\n')) {
          const colon = line.indexOf(':');
          if (colon > 0) trailers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
        }
      } else {
        message = frame;
      }
    }
    const status = Number(response.headers.get('grpc-status') ?? trailers['grpc-status'] ?? (response.ok ? 0 : 2));
    const statusMessage = decodeURIComponent(response.headers.get('grpc-message') ?? trailers['grpc-message'] ?? '');
    return { status, statusMessage, message };
  }

  const NOT_FOUND = 5;

  // ---- What the registry's answers mean, in plain words ----

  // kp.verification.v1.VerificationReason
  const REASONS = {
    1: 'The certificate is damaged or not a signed certificate at all.',
    2: 'This is not a KP certificate (its content is of another kind).',
    3: 'It is not signed by any key the registry knows.',
    4: 'The signature does not match: the certificate was altered after signing, or signed with another key.',
    5: 'The signing key was not yet or no longer valid on the date of issue.',
    6: 'The signing key had been retired before the certificate was recorded.',
    7: 'The signing key had been reported compromised before the certificate was recorded.',
    8: 'The issuer is not, and never was, a KP participant.',
    9: 'The issuer was not allowed to export on the date of issue.',
    10: 'The issuer is suspended or removed today: its certificates are refused.',
    11: 'The issuer is under an embargo.',
    12: 'The signing key belongs to another participant or authority than the issuer.',
    13: 'The registry has no record of this certificate.',
    14: 'The registry recorded a different certificate under this number.',
    15: 'The issuer has cancelled this certificate.',
    16: 'This certificate was replaced by another.',
    17: 'The certificate has expired.',
    18: 'Its import was already confirmed: it cannot be used again.',
    19: 'Wrong destination: the certificate is destined for another participant than the one it is presented at.',
    20: 'Its content breaks a KPCS rule.',
    21: 'Its destination is not allowed to receive rough diamonds (suspended or removed).',
    22: 'The shipment was detained on arrival and is not accepted until the detention is resolved.',
    23: 'The detained shipment was refused: this certificate can no longer be used.',
  };
  // kp.registry.v1.KeyState
  const KEY_STATES = { 0: 'unknown', 1: 'active', 2: 'retired', 3: 'revoked (compromised)' };
  // kp.certificate.v1.CertificateState
  const CERTIFICATE_STATES = { 0: 'not recorded', 1: 'issued', 2: 'received', 3: 'detained', 4: 'cancelled', 5: 'replaced', 6: 'refused' };

  // kp.verification.v1.VerifyCertificateResult, field by field. A field added to the result (the
  // import-check purpose, the log inclusion) is one more entry here and one more row below.
  function readResult(bytes) {
    const f = readMessage(bytes);
    return {
      valid: num(f, 1) === 1,
      reasons: enums(f, 2),
      issuingParticipant: str(f, 3),
      keyId: str(f, 4),
      certificateNumber: str(f, 5),
      recordedAt: str(f, 6),
      details: strs(f, 8),
      violations: strs(f, 9),
      issuingAuthority: str(f, 10),
      dateOfIssue: str(f, 11),
      dateOfExpiry: str(f, 12),
      keyState: num(f, 13),
      certificateState: num(f, 14),
      replacedBy: str(f, 15),
      // Present exactly when the registry's transparency log holds the certificate's entry.
      logIndex: f[16] ? num(f, 16) : null,
      checkpoint: str(f, 18),
    };
  }

  // kp.certificate.v1.Certificate, for display only: what the envelope says, not a verdict.
  function readCertificate(bytes) {
    const f = readMessage(bytes);
    const party = (n) => { const p = msg(f, n); return p ? { name: str(p, 1), address: str(p, 2), licence: str(p, 3) } : null; };
    const origin = msg(f, 9);
    return {
      number: str(f, 2), issuer: str(f, 3), authority: str(f, 4),
      exporter: party(5), importer: party(6), consignee: party(7),
      destination: str(f, 8),
      origin: origin ? { mixed: num(origin, 1) === 1, countries: strs(origin, 2) } : null,
      originZone: str(f, 10),
      lines: (f[11] || []).map((b) => { const l = readMessage(b); return { hs: str(l, 1), carats: num(l, 2), cents: num(l, 3) }; }),
      totalCarats: num(f, 12), totalCents: num(f, 13), parcels: num(f, 14),
      seals: strs(f, 15), transit: strs(f, 16),
      dateOfIssue: str(f, 17), dateOfExpiry: str(f, 18), statement: str(f, 19),
    };
  }

  // ---- The page ----

  const $ = (id) => document.getElementById(id);
  const form = $('verify-form');
  const statusLine = $('status');
  const errorLine = $('error');
  const result = $('result');

  function showError(message) {
    statusLine.textContent = '';
    errorLine.textContent = message;
    errorLine.hidden = false;
  }

  function busy(message) {
    errorLine.hidden = true;
    errorLine.textContent = '';
    statusLine.textContent = message;
  }

  function presentedAt() {
    const value = $('presented-at').value.trim().toUpperCase();
    if (value !== '' && !/^[A-Z]{2}$/.test(value)) throw new Error('"Presented at" must be two letters, for example AE, or left empty.');
    return value;
  }

  function base64ToBytes(value) {
    const clean = value.replace(/\s+/g, '').replace(/-/g, '+').replace(/_/g, '/');
    if (clean === '' || !/^[A-Za-z0-9+/]*={0,2}$/.test(clean)) return null;
    try {
      const binary = atob(clean + '='.repeat((4 - (clean.length % 4)) % 4));
      return Uint8Array.from(binary, (c) => c.charCodeAt(0));
    } catch {
      return null;
    }
  }

  // The registry reads the QR (an image, or its text): the KP1 envelope or the KP1R reference.
  async function decodeQr(body, contentType) {
    const response = await fetch('/paper/decode', { method: 'POST', headers: { 'content-type': contentType }, body });
    const answer = await response.json().catch(() => ({ error: `the registry answered ${response.status}` }));
    if (!response.ok) throw new Error(answer.error || `the registry answered ${response.status}`);
    return answer;
  }

  async function verifyEnvelope(envelope, extra) {
    const at = presentedAt();
    // Field 4, purpose: a varint (wire type 0), 1 for the import check.
    const request = [...field(1, envelope), ...(at ? field(3, utf8.encode(at)) : []), ...(importCheck() ? [4 * 8, 1] : [])];
    const call = await grpcWeb('/kp.verification.v1.Verification/VerifyCertificate', new Uint8Array(request));
    if (call.status !== 0 || !call.message) throw new Error(`The registry could not check it: ${call.statusMessage || 'status ' + call.status}`);
    show(readResult(call.message), envelope, extra);
  }

  // KP1R: the registry's recorded envelope, if its payload has the printed SHA-256, is verified.
  async function verifyReference(decoded) {
    const request = [...field(1, utf8.encode(decoded.issuingParticipant)), ...field(2, utf8.encode(decoded.certificateNumber))];
    const call = await grpcWeb('/kp.certificate.v1.Certificates/GetCertificate', new Uint8Array(request));
    const source = `QR code with a reference (KP1R) to certificate ${decoded.certificateNumber} of ${decoded.issuingParticipant}`;
    const refused = (reason, detail) => show({
      valid: false, reasons: [reason], details: [detail], violations: [],
      issuingParticipant: decoded.issuingParticipant, certificateNumber: decoded.certificateNumber,
      keyId: '', recordedAt: '', issuingAuthority: '', dateOfIssue: '', dateOfExpiry: '', keyState: 0, certificateState: 0,
    }, null, source);
    if (call.status === NOT_FOUND) return refused(13, `The registry has no certificate ${decoded.certificateNumber} of ${decoded.issuingParticipant}, which the QR code refers to.`);
    if (call.status !== 0 || !call.message) throw new Error(`The registry could not look it up: ${call.statusMessage || 'status ' + call.status}`);
    const envelopeBytes = readMessage(call.message)[1]?.[0];
    const payload = envelopeBytes ? readMessage(envelopeBytes)[1]?.[0] ?? new Uint8Array() : null;
    const digest = payload ? Array.from(new Uint8Array(await crypto.subtle.digest('SHA-256', payload)), (b) => b.toString(16).padStart(2, '0')).join('').toUpperCase() : '';
    if (digest !== decoded.payloadSha256) return refused(14, `The registry's certificate ${decoded.certificateNumber} of ${decoded.issuingParticipant} is not the one printed: its SHA-256 differs from the QR code's.`);
    await verifyEnvelope(envelopeBytes, source + ', as recorded by the registry');
  }

  async function verifyDecoded(decoded, source) {
    if (decoded.form === 'KP1R') return verifyReference(decoded);
    return verifyEnvelope(base64ToBytes(decoded.envelope), source);
  }

  async function verifyText(value) {
    const trimmed = value.trim();
    if (trimmed === '') throw new Error('Paste a signed certificate first: its envelope in base64, or the text of its QR code.');
    if (/^KP1R?:/i.test(trimmed)) return verifyDecoded(await decodeQr(trimmed, 'text/plain'), 'QR code text (KP1)');
    const bytes = base64ToBytes(trimmed);
    if (!bytes) throw new Error('This is neither base64 nor the text of a KP QR code (which begins with KP1: or KP1R:).');
    return verifyEnvelope(bytes, 'pasted envelope');
  }

  function row(list, term, value) {
    if (value === '' || value === null || value === undefined) return;
    const dt = document.createElement('dt');
    dt.textContent = term;
    const dd = document.createElement('dd');
    dd.textContent = value;
    list.append(dt, dd);
  }

  const carats = (hundredths) => `${(hundredths / 100).toFixed(2)} ct`;
  const dollars = (cents) => `US$ ${(cents / 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
  const partyText = (p) => (p ? [p.name, p.address, p.licence ? `licence ${p.licence}` : ''].filter(Boolean).join(', ') : '');

  function show(answer, envelope, source) {
    statusLine.textContent = '';
    const verdict = $('verdict');
    verdict.textContent = answer.valid ? 'VALID' : 'INVALID';
    verdict.className = 'verdict ' + (answer.valid ? 'valid' : 'invalid');

    const reasons = $('reasons');
    reasons.replaceChildren();
    for (const reason of answer.reasons) {
      const li = document.createElement('li');
      li.dataset.reason = String(reason);
      li.textContent = REASONS[reason] || `Reason ${reason}.`;
      reasons.append(li);
    }
    for (const line of [...answer.details, ...answer.violations]) {
      const li = document.createElement('li');
      const span = document.createElement('span');
      span.className = 'detail';
      span.textContent = line;
      li.append(span);
      reasons.append(li);
    }
    $('reasons-block').hidden = reasons.childElementCount === 0;

    const summary = $('summary');
    summary.replaceChildren();
    row(summary, 'Checked', source);
    row(summary, 'Certificate number', answer.certificateNumber);
    row(summary, 'Issuer', answer.issuingParticipant);
    row(summary, 'Issuing authority', answer.issuingAuthority);
    row(summary, 'Date of issue', answer.dateOfIssue);
    row(summary, 'Date of expiry', answer.dateOfExpiry);
    row(summary, 'Signing key', answer.keyId);
    row(summary, 'Key state now', answer.keyId ? KEY_STATES[answer.keyState] || String(answer.keyState) : '');
    row(summary, 'Registry record', CERTIFICATE_STATES[answer.certificateState] || String(answer.certificateState));
    row(summary, 'Recorded at', answer.recordedAt);
    row(summary, 'Presented at', presentedAtOrEmpty());
    row(summary, 'Purpose', importCheck() ? 'import check (may the goods be accepted?)' : 'plain check (is it genuine?)');
    row(summary, 'Replaced by', answer.replacedBy);
    row(summary, 'Transparency log', logInclusion(answer));

    const list = $('certificate');
    list.replaceChildren();
    let certificate = null;
    try {
      const f = envelope ? readMessage(envelope) : null;
      if (f && str(f, 2) === 'application/vnd.kp.certificate.v1+protobuf' && f[1]) certificate = readCertificate(f[1][0]);
    } catch {
      certificate = null;
    }
    $('certificate-block').hidden = certificate === null;
    if (certificate) {
      $('certificate-note').textContent = answer.valid
        ? 'As signed by the issuer and checked by the registry.'
        : 'As written in the envelope. The certificate is not valid: do not rely on these fields.';
      row(list, 'Certificate number', certificate.number);
      row(list, 'Issuing participant', certificate.issuer);
      row(list, 'Issuing authority', certificate.authority);
      row(list, 'Exporter', partyText(certificate.exporter));
      row(list, 'Importer', partyText(certificate.importer));
      row(list, 'Consignee', partyText(certificate.consignee));
      row(list, 'Destination', certificate.destination);
      row(list, 'Origin', certificate.origin ? (certificate.origin.mixed ? `mixed${certificate.origin.countries.length ? ': ' + certificate.origin.countries.join(', ') : ''}` : certificate.origin.countries.join(', ')) : '');
      row(list, 'Origin zone', certificate.originZone);
      certificate.lines.forEach((line, i) => row(list, `Line ${i + 1}`, `HS ${line.hs}: ${carats(line.carats)}, ${dollars(line.cents)}`));
      row(list, 'Total weight', carats(certificate.totalCarats));
      row(list, 'Total value', dollars(certificate.totalCents));
      row(list, 'Number of parcels', String(certificate.parcels));
      row(list, 'Seals', certificate.seals.join(', '));
      row(list, 'Transit countries', certificate.transit.join(', '));
      row(list, 'Date of issue', certificate.dateOfIssue);
      row(list, 'Date of expiry', certificate.dateOfExpiry);
      row(list, 'Statement', certificate.statement);
    }
    result.hidden = false;
    result.focus();
  }

  function importCheck() {
    return $('import-check').checked;
  }

  // "entry N", and the size of the signed checkpoint whose inclusion proof came with the answer.
  function logInclusion(answer) {
    if (answer.logIndex === null) return '';
    const size = answer.checkpoint ? answer.checkpoint.split('\n')[1] : '';
    return size ? `entry ${answer.logIndex}, proven in the signed checkpoint of ${size} entries` : `entry ${answer.logIndex} (in the next checkpoint)`;
  }

  function presentedAtOrEmpty() {
    try { return presentedAt(); } catch { return ''; }
  }

  async function run(message, work) {
    busy(message);
    try {
      await work();
    } catch (e) {
      result.hidden = true;
      showError(e.message || String(e));
    }
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    run('Checking the certificate with the registry…', () => verifyText($('envelope-text').value));
  });

  $('envelope-file').addEventListener('change', (event) => {
    const file = event.target.files[0];
    if (!file) return;
    run(`Checking ${file.name}…`, async () => {
      const bytes = new Uint8Array(await file.arrayBuffer());
      // A saved envelope is binary protobuf; one saved as text is base64 or a KP1 text.
      const asText = text.decode(bytes).trim();
      if (/^KP1R?:/.test(asText) || (asText.length > 0 && /^[A-Za-z0-9+/=_\-\s]+$/.test(asText) && base64ToBytes(asText))) return verifyText(asText);
      return verifyEnvelope(bytes, `envelope file ${file.name}`);
    });
  });

  $('image-file').addEventListener('change', (event) => {
    const file = event.target.files[0];
    if (!file) return;
    run(`Reading the QR code in ${file.name}…`, async () => {
      const bytes = new Uint8Array(await file.arrayBuffer());
      const type = bytes[0] === 0x89 ? 'image/png' : bytes[0] === 0xff ? 'image/jpeg' : bytes[0] === 0x25 ? 'application/pdf' : file.type || 'application/octet-stream';
      const decoded = await decodeQr(bytes, type);
      busy('Checking the certificate with the registry…');
      await verifyDecoded(decoded, `QR code (${decoded.form}) in ${file.name}`);
    });
  });

  // ---- Camera: frames read here with jsQR until a QR code is found ----

  let stream = null;
  const video = $('camera-view');
  const canvas = $('camera-frame');

  function stopCamera() {
    if (stream) stream.getTracks().forEach((t) => t.stop());
    stream = null;
    video.hidden = true;
    $('camera-stop').hidden = true;
    $('camera-start').hidden = false;
  }

  async function scanFrame() {
    if (!stream) return;
    if (video.readyState >= 2 && video.videoWidth > 0) {
      canvas.width = video.videoWidth;
      canvas.height = video.videoHeight;
      const context = canvas.getContext('2d', { willReadFrequently: true });
      context.drawImage(video, 0, 0);
      const frame = context.getImageData(0, 0, canvas.width, canvas.height);
      const code = window.jsQR(frame.data, frame.width, frame.height, { inversionAttempts: 'attemptBoth' });
      if (code && /^KP1R?:/.test(code.data)) {
        stopCamera();
        await run('Checking the scanned certificate with the registry…', async () => verifyDecoded(await decodeQr(code.data, 'text/plain'), 'QR code scanned with the camera'));
        return;
      }
    }
    requestAnimationFrame(scanFrame);
  }

  $('camera-start').addEventListener('click', () => {
    run('Starting the camera…', async () => {
      if (!navigator.mediaDevices?.getUserMedia) throw new Error('This browser gives the page no camera.');
      if (typeof window.jsQR !== 'function') throw new Error('The QR reader did not load.');
      // The back camera, as sharp as it offers: a QR carrying a whole envelope is dense.
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment', width: { ideal: 1920 }, height: { ideal: 1920 } }, audio: false });
      video.srcObject = stream;
      video.hidden = false;
      $('camera-start').hidden = true;
      $('camera-stop').hidden = false;
      await video.play();
      busy('Looking for a QR code…');
      requestAnimationFrame(scanFrame);
    });
  });
  $('camera-stop').addEventListener('click', () => { stopCamera(); busy(''); });
})();
