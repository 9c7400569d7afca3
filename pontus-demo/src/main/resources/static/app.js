// Pontus demo page: sign (GET /s3/params), upload straight to S3 (multipart POST), validate (POST /s3/validate),
// or with S3 events (demo.events=true) let the server validate on its own and ask for the outcome (GET /api/outcome).
(function () {
  'use strict';
  const input = document.getElementById('file-input');
  const drop = document.getElementById('drop');
  const uploads = document.getElementById('uploads');
  let config = { maxFileSize: 0, allowedContentTypes: [], basePath: '/s3' };

  function mb(bytes) {
    return bytes < 1024 * 1024 ? Math.ceil(bytes / 1024) + ' KB' : (bytes / 1024 / 1024).toFixed(1) + ' MB';
  }

  function el(tag, attrs, text) {
    const node = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([k, v]) => node.setAttribute(k, v));
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // The server's word on the type decides (sniffed from the content, and served with nosniff), never the name's:
  // a known image type shows as a thumbnail; an unknown one is tried as one and becomes a link if it is not.
  function preview(url, name, type) {
    const link = el('a', { href: url, target: '_blank', rel: 'noopener' }, 'Open');
    if (type && !/^image\/(jpeg|png|gif|webp|avif)$/.test(type)) return link;
    const img = el('img', { class: 'thumb', src: url, alt: 'Preview of ' + name });
    img.addEventListener('error', () => img.replaceWith(link));
    return img;
  }

  // A JSON answer, or an Error whose message says what failed (network down, a proxy's HTML 502 …).
  async function json(response) {
    const text = await response.text();
    try {
      return JSON.parse(text);
    } catch (e) {
      throw new Error('the server answered ' + response.status + ' ' + response.statusText + ' without details');
    }
  }

  async function loadFiles() {
    const list = document.getElementById('files');
    let files = [];
    try {
      const response = await fetch('/api/files');
      files = response.ok ? await json(response) : [];
    } catch (e) {
      document.getElementById('no-files').textContent = 'The list of files could not be loaded: ' + e.message;
    }
    list.replaceChildren(...files.map(f => {
      const li = el('li');
      li.append(preview(f.url, f.name));
      const link = el('a', { href: f.url, target: '_blank', rel: 'noopener' }, f.name);
      li.append(link, el('span', { class: 'muted' }, mb(f.size)));
      return li;
    }));
    document.getElementById('no-files').hidden = files.length > 0;
  }

  // S3 answers a refused POST with XML; a browser may not even see it when the store sends no CORS headers.
  function storageRefusal(xhr) {
    const code = (/<Code>([^<]+)<\/Code>/.exec(xhr.responseText || '') || [])[1];
    if (code === 'EntityTooLarge') return 'Refused by S3: the file is larger than the ' + mb(config.maxFileSize) + ' the upload policy allows.';
    if (code === 'EntityTooSmall') return 'Refused by S3: the file is empty.';
    if (xhr.status === 0) return 'Refused by the storage service (it allows files up to ' + mb(config.maxFileSize) + ' and this policy only).';
    return 'Refused by S3 (' + xhr.status + (code ? ' ' + code : '') + ').';
  }

  function post(url, fields, file, progress) {
    return new Promise((resolve) => {
      const form = new FormData();
      Object.entries(fields).forEach(([k, v]) => form.append(k, v));
      form.append('file', file);
      const xhr = new XMLHttpRequest();
      xhr.open('POST', url);
      xhr.upload.onprogress = (e) => { if (e.lengthComputable) progress.value = e.loaded / e.total; };
      xhr.onload = () => resolve(xhr);
      xhr.onerror = () => resolve(xhr);
      xhr.send(form);
    });
  }

  async function upload(file) {
    const li = el('li', { 'data-file': file.name });
    const body = el('div', { class: 'body' });
    const progress = el('progress', { max: '1', value: '0', 'aria-label': 'Upload progress of ' + file.name });
    const status = el('div', { class: 'status', role: 'status' }, 'Signing…');
    body.append(el('div', { class: 'name' }, file.name + ' (' + mb(file.size) + ')'), progress, status);
    li.append(body);
    uploads.prepend(li);
    const fail = (message, reasons) => {
      li.classList.add('bad');
      status.textContent = message;
      if (reasons && reasons.length) {
        const ul = el('ul', { class: 'reasons' });
        reasons.forEach(r => ul.append(el('li', {}, r)));
        body.append(ul);
      }
    };

    let step = 'Signing';
    try {
      const query = new URLSearchParams({ filename: file.name, type: file.type || 'application/octet-stream' });
      const signed = await fetch(config.basePath + '/params?' + query);
      const params = await json(signed);
      if (!signed.ok) return fail('Not signed: ' + params.detail);

      step = 'Uploading';
      status.textContent = 'Uploading to S3…';
      const xhr = await post(params.url, params.fields, file, progress);
      if (xhr.status !== 201 && xhr.status !== 200 && xhr.status !== 204) return fail(storageRefusal(xhr));
      progress.value = 1;

      if (config.events) return awaitOutcome(params.fields.key, li, status, fail, file);

      step = 'Validating';
      status.textContent = 'Validating…';
      const checked = await fetch(config.basePath + '/validate', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ key: params.fields.key })
      });
      const result = await json(checked);
      if (!checked.ok) {
        return fail('Refused by validation' + (result.deleted ? ' and deleted' : '') + ':',
          (result.violations || []).map(v => v.message).concat(result.violations ? [] : [result.detail]));
      }
      li.classList.add('ok');
      status.textContent = 'Validated as ' + result.type + ' and promoted to ' + result.key;
      li.prepend(preview('/files/' + result.key, file.name, result.type));
      loadFiles();
    } catch (e) {
      fail(step + ' failed: ' + (e.message || e) + '. Try again.');
    }
  }

  // With S3 events the server validates each upload on its own (the page never calls /validate): ask what became
  // of it, and refresh the list, until it is known.
  async function awaitOutcome(key, li, status, fail, file) {
    status.textContent = 'Uploaded. The server validates it from S3\'s event…';
    for (let i = 0; i < 120; i++) {
      await new Promise(r => setTimeout(r, 500));
      const response = await fetch('/api/outcome?' + new URLSearchParams({ key: key }));
      const outcome = response.ok ? await json(response) : { state: 'pending' };
      if (outcome.state === 'validated') {
        li.classList.add('ok');
        status.textContent = 'Validated as ' + outcome.type + ' and promoted to ' + outcome.key;
        li.prepend(preview('/files/' + outcome.key, file.name, outcome.type));
        return loadFiles();
      }
      if (outcome.state === 'rejected') {
        return fail('Refused by validation' + (outcome.deleted ? ' and deleted' : '') + ':', outcome.violations);
      }
      if (i % 4 === 3) loadFiles(); // another instance may have validated it
    }
    status.textContent = 'Uploaded; no outcome yet (see the list below).';
    loadFiles();
  }

  function start(files) { Array.from(files).forEach(upload); }

  input.addEventListener('change', () => { start(input.files); input.value = ''; });
  ['dragenter', 'dragover'].forEach(t => drop.addEventListener(t, e => { e.preventDefault(); drop.classList.add('over'); }));
  ['dragleave', 'drop'].forEach(t => drop.addEventListener(t, e => { e.preventDefault(); drop.classList.remove('over'); }));
  drop.addEventListener('drop', e => start(e.dataTransfer.files));

  fetch('/api/config').then(json).then(c => {
    config = c;
    const types = c.allowedContentTypes.length ? c.allowedContentTypes.join(', ') : 'Any type but active content';
    document.getElementById('rules').textContent = types + '; at most ' + mb(c.maxFileSize) + ' per file';
  }).catch(e => {
    document.getElementById('rules').textContent = 'The rules could not be loaded (' + e.message + ')';
  });
  loadFiles();
})();
