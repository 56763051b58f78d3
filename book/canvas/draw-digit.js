// The "Draw a digit" canvas of the MNIST chapter. The chapter's own Rust — its handwriting
// preprocessing and its network — compiled to WebAssembly reads what the reader draws.
// `cargo xtask book` puts in canvas/wasm/ the wasm-bindgen glue (which defines `wasm_bindgen`)
// and digit-data.js, which holds the WebAssembly module and the trained weights in base64, so
// that the page works opened from the disk (file://), where a page may not fetch() a file.
(function () {
  'use strict';
  const root = document.getElementById('draw-digit');
  if (!root) return;
  const pad = root.querySelector('.draw-digit-pad'); // where the reader draws, 280×280
  const preview = root.querySelector('.draw-digit-input'); // what the network receives, 28×28
  const status = root.querySelector('.draw-digit-status');
  const pen = pad.getContext('2d', { willReadFrequently: true });
  const shown = preview.getContext('2d');
  // A 20-pixel pen on the 280-pixel pad: about 2 of the input's 28 pixels once the digit is
  // scaled to fit 20×20, the width of MNIST's strokes.
  const PEN_WIDTH = 20;

  // The canvas speaks the page's language: English, or that of the book's Chinese edition,
  // whose pages are the same HTML.
  const WORDS = {
    en: {
      draw: 'Draw a digit in the white square.',
      reads: (digit, percent) => 'The network reads a ' + digit + ' (' + percent + '%).',
      loading: 'Loading the network (WebAssembly)…',
      failed: (why) => 'The canvas cannot work here: the network did not load (' + why +
        '). The rest of the page does not need it.',
    },
    'zh-CN': {
      draw: '在白色方框里写一个数字。',
      reads: (digit, percent) => '网络认为这是 ' + digit + '（' + percent + '%）。',
      loading: '正在加载网络（WebAssembly）…',
      failed: (why) => '画布无法在这里工作：网络没有加载成功（' + why + '）。本页其余内容不依赖它。',
      clear: '清除',
      input: '网络的输入',
      pad: '在这里写一个数字',
      preview: '网络的输入，28×28',
      bars: '每个数字的概率',
    },
  };
  const words = WORDS[document.documentElement.lang] || WORDS.en;
  if (words.clear) {
    root.querySelector('.draw-digit-clear').textContent = words.clear;
    root.querySelector('figcaption').textContent = words.input;
    pad.setAttribute('aria-label', words.pad);
    preview.setAttribute('aria-label', words.preview);
    root.querySelector('.draw-digit-bars').setAttribute('aria-label', words.bars);
  }

  function say(text, state) {
    status.textContent = text;
    root.dataset.state = state;
  }

  // Ten rows: the digit, a bar as long as its probability, the probability in words.
  const bars = [];
  const table = root.querySelector('.draw-digit-bars');
  for (let digit = 0; digit < 10; digit++) {
    const row = document.createElement('div');
    row.className = 'draw-digit-row';
    const label = document.createElement('span');
    label.textContent = digit;
    const track = document.createElement('span');
    track.className = 'draw-digit-track';
    const bar = document.createElement('span');
    bar.className = 'draw-digit-bar';
    track.appendChild(bar);
    const value = document.createElement('span');
    value.className = 'draw-digit-value';
    row.append(label, track, value);
    table.appendChild(row);
    bars.push({ row, bar, value });
  }

  function showInput(pixels) {
    const image = shown.createImageData(28, 28);
    for (let i = 0; i < 28 * 28; i++) {
      const grey = Math.round(255 * (1 - (pixels ? pixels[i] : 0))); // ink dark, as in the figures
      image.data.set([grey, grey, grey, 255], 4 * i);
    }
    shown.putImageData(image, 0, 0);
  }

  function showProbabilities(probabilities, best) {
    bars.forEach(({ row, bar, value }, digit) => {
      const p = probabilities ? probabilities[digit] : 0;
      bar.style.width = (100 * p).toFixed(1) + '%';
      value.textContent = probabilities ? (100 * p).toFixed(1) + '%' : '';
      row.classList.toggle('draw-digit-best', digit === best);
    });
  }

  function clear() {
    pen.fillStyle = '#ffffff';
    pen.fillRect(0, 0, pad.width, pad.height);
    showInput(null);
    showProbabilities(null, -1);
    root.dataset.digit = '';
    if (reader) say(words.draw, 'ready');
  }

  let reader = null;

  function read() {
    if (!reader) return;
    const { data } = pen.getImageData(0, 0, pad.width, pad.height);
    let reading;
    try {
      reading = reader.read(data, pad.width, pad.height);
    } catch (message) {
      say(String(message), 'ready'); // no digit yet
      return;
    }
    const probabilities = reading.probabilities();
    const digit = reading.digit();
    showInput(reading.input());
    showProbabilities(probabilities, digit);
    reading.free();
    root.dataset.digit = digit;
    say(words.reads(digit, (100 * probabilities[digit]).toFixed(1)), 'ready');
  }

  // Drawing, with a mouse, a finger or a pen alike (pointer events).
  let last = null;
  let pending = false;
  function at(event) {
    const box = pad.getBoundingClientRect();
    return {
      x: ((event.clientX - box.left) * pad.width) / box.width,
      y: ((event.clientY - box.top) * pad.height) / box.height,
    };
  }
  function stroke(from, to) {
    pen.strokeStyle = '#000000';
    pen.lineWidth = PEN_WIDTH;
    pen.lineCap = 'round';
    pen.lineJoin = 'round';
    pen.beginPath();
    pen.moveTo(from.x, from.y);
    pen.lineTo(to.x, to.y);
    pen.stroke();
    if (!pending) {
      pending = true; // read at most once a frame while the pen moves
      requestAnimationFrame(() => {
        pending = false;
        read();
      });
    }
  }
  pad.addEventListener('pointerdown', (event) => {
    event.preventDefault();
    try {
      pad.setPointerCapture(event.pointerId);
    } catch (e) {
      // a pointer the browser does not track (a synthetic one) is drawn all the same
    }
    last = at(event);
    stroke(last, last);
  });
  pad.addEventListener('pointermove', (event) => {
    if (!last) return;
    const next = at(event);
    stroke(last, next);
    last = next;
  });
  function lift() {
    if (!last) return;
    last = null;
    read(); // the whole stroke, at once
  }
  pad.addEventListener('pointerup', lift);
  pad.addEventListener('pointercancel', lift);
  root.querySelector('.draw-digit-clear').addEventListener('click', clear);

  function bytes(base64) {
    const text = atob(base64);
    const out = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
    return out;
  }

  async function start() {
    if (typeof WebAssembly !== 'object') {
      throw new Error('this browser does not run WebAssembly');
    }
    if (typeof wasm_bindgen !== 'function' || typeof DIGIT_CANVAS !== 'object') {
      throw new Error('the files of canvas/wasm/ are missing: build the book with `cargo xtask book`');
    }
    const module = bytes(DIGIT_CANVAS.wasm);
    try {
      wasm_bindgen.initSync({ module }); // at once, so the canvas is ready when the page is
    } catch (e) {
      await wasm_bindgen({ module_or_path: module }); // a browser that compiles it only in the background
    }
    reader = new wasm_bindgen.DigitReader(bytes(DIGIT_CANVAS.weights));
    root.dataset.network = reader.architecture();
  }

  clear();
  say(words.loading, 'loading');
  start().then(clear, (error) => {
    pad.style.opacity = '0.4';
    say(words.failed(error.message || error), 'failed');
  });
})();
