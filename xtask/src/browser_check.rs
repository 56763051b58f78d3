//! Opens every chapter page of the built book, both editions, in headless Chromium and checks
//! what a reader would see: the math is rendered by KaTeX (and no raw TeX or Markdown is left
//! in the text), every figure loads (its natural width is not zero), the link to the page in the
//! other edition leads to a page, and the page requests nothing from outside.
//!
//! The book is served from a small HTTP server on 127.0.0.1 that this check starts itself. When
//! it serves a page it appends a short script that, once the page has loaded, writes its
//! findings into a `<pre id="browser-check">`; Chromium's `--dump-dom` prints the page, and we
//! read the findings back.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

use anyhow::{Context, Result, bail};

/// The findings script, run by the browser once the page and its figures have loaded. On a
/// page with the drawing canvas, it first waits for the network to load, draws each digit of
/// `DIGITS` with pointer events, as a mouse would, and notes what the page then shows: the
/// digit it reads, the sum of the ten probabilities, and the 28×28 input's ink and centre of
/// mass.
const CHECK_SCRIPT: &str = r#"<script>
const DIGITS = {
  1: [[[140, 40], [140, 240]]],
  7: [[[70, 50], [210, 50], [120, 240]]],
  0: [Array.from({ length: 25 }, (_, i) =>
    [140 + 60 * Math.sin(i * Math.PI / 12), 140 - 95 * Math.cos(i * Math.PI / 12)])],
  4: [[[170, 40], [70, 170], [220, 170]], [[170, 40], [170, 250]]],
};
function drawOnCanvas(canvas, lines) {
  const pad = canvas.querySelector('.draw-digit-pad');
  const box = pad.getBoundingClientRect();
  const send = (type, [x, y]) => pad.dispatchEvent(new PointerEvent(type, {
    bubbles: true, pointerId: 1, buttons: 1, pointerType: 'mouse',
    clientX: box.left + x * box.width / pad.width, clientY: box.top + y * box.height / pad.height,
  }));
  for (const line of lines) {
    send('pointerdown', line[0]);
    for (const point of line.slice(1)) send('pointermove', point);
    send('pointerup', line[line.length - 1]);
  }
}
function whatTheCanvasShows(canvas, drawn) {
  const values = [...canvas.querySelectorAll('.draw-digit-value')];
  const sum = values.reduce((total, v) => total + (parseFloat(v.textContent) || 0), 0);
  const best = canvas.querySelector('.draw-digit-best');
  const input = canvas.querySelector('.draw-digit-input');
  const pixels = input.getContext('2d').getImageData(0, 0, input.width, input.height).data;
  let [ink, x, y] = [0, 0, 0];
  for (let i = 0; i < input.width * input.height; i++) {
    const v = 1 - pixels[4 * i] / 255;
    ink += v;
    x += v * (i % input.width);
    y += v * Math.floor(i / input.width);
  }
  return ['canvas', drawn, canvas.dataset.digit || '-', best ? best.firstChild.textContent : '-',
    sum.toFixed(1), ink.toFixed(1), (x / ink).toFixed(2), (y / ink).toFixed(2)].join(' ');
}
function checkCanvas(canvas, lines, done) {
  if (canvas.dataset.state === 'loading') {
    setTimeout(() => checkCanvas(canvas, lines, done), 50);
    return;
  }
  if (canvas.dataset.state !== 'ready') {
    lines.push('canvas-failed ' + canvas.querySelector('.draw-digit-status').textContent);
    done();
    return;
  }
  for (const [digit, strokes] of Object.entries(DIGITS)) {
    canvas.querySelector('.draw-digit-clear').click();
    drawOnCanvas(canvas, strokes);
    lines.push(whatTheCanvasShows(canvas, digit));
  }
  done();
}
window.addEventListener('load', () => {
  const main = document.querySelector('main') || document.body;
  const lines = ['katex ' + main.querySelectorAll('.katex').length];
  const figures = [...main.querySelectorAll('img')];
  lines.push('figures ' + new Set(figures.map((img) => img.src)).size);
  for (const img of figures) {
    if (!(img.complete && img.naturalWidth > 0)) lines.push('broken-figure ' + img.getAttribute('src'));
  }
  const other = document.getElementById('language-switch');
  lines.push(other ? 'language ' + new URL(other.href).pathname : 'no link to the other edition');
  const texts = document.createTreeWalker(main, NodeFilter.SHOW_TEXT);
  while (texts.nextNode()) {
    const node = texts.currentNode;
    if (node.parentElement.closest('pre, code, .katex, script, style')) continue;
    if (/\$\$|\\\(|\\\[|\$[^$]*\\[A-Za-z]+[^$]*\$/.test(node.textContent)) {
      lines.push('raw-tex ' + node.textContent.trim().slice(0, 80));
    }
    if (/[\u4e00-\u9fff]_|_[\u4e00-\u9fff]|\*\*/.test(node.textContent)) {
      lines.push('raw-markdown ' + node.textContent.trim().slice(0, 80));
    }
  }
  const report = () => {
    for (const entry of performance.getEntriesByType('resource')) {
      if (!entry.name.startsWith(location.origin)) lines.push('outside-request ' + entry.name);
    }
    const pre = document.createElement('pre');
    pre.id = 'browser-check';
    pre.textContent = lines.join('\n');
    document.body.appendChild(pre);
  };
  const canvas = document.getElementById('draw-digit');
  if (canvas) checkCanvas(canvas, lines, report);
  else report();
});
</script>"#;

/// One digit the script drew on the canvas, and what the page showed.
#[derive(Debug, PartialEq)]
struct Drawn {
    digit: String,
    read: String,
    bold_bar: String,
    probability_sum: f64,
    ink: f64,
    centre: (f64, f64),
}

impl Drawn {
    /// Parses `canvas <drawn> <read> <bold bar> <sum %> <ink> <x> <y>`.
    fn parse(fields: &str) -> Result<Drawn> {
        let f: Vec<&str> = fields.split(' ').collect();
        let [digit, read, bold_bar, sum, ink, x, y] = f[..] else {
            bail!("a canvas line with {} fields, not 7: {fields:?}", f.len());
        };
        Ok(Drawn {
            digit: digit.into(),
            read: read.into(),
            bold_bar: bold_bar.into(),
            probability_sum: sum.parse()?,
            ink: ink.parse()?,
            centre: (x.parse()?, y.parse()?),
        })
    }

    /// What is wrong with what the page showed for this digit.
    fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        let digit = &self.digit;
        if self.read != *digit || self.bold_bar != *digit {
            problems.push(format!(
                "a {digit} drawn on the canvas is read as {} (bold bar: {})",
                self.read, self.bold_bar
            ));
        }
        if (self.probability_sum - 100.0).abs() > 0.5 {
            problems.push(format!(
                "the probabilities shown for a drawn {digit} add up to {}%",
                self.probability_sum
            ));
        }
        // a digit fitted in 20×20 with strokes about 2 pixels wide: tens of pixels of ink
        if self.ink < 20.0 {
            problems.push(format!(
                "the 28×28 input shown for a drawn {digit} holds {} pixels of ink",
                self.ink
            ));
        }
        let (x, y) = self.centre;
        if (x - 14.0).abs() > 1.0 || (y - 14.0).abs() > 1.0 {
            problems.push(format!(
                "the 28×28 input shown for a drawn {digit} is centred at ({x}, {y}), not (14, 14)"
            ));
        }
        problems
    }
}

/// What the script found on one page.
#[derive(Debug, Default, PartialEq)]
struct Findings {
    katex: usize,
    figures: usize,
    drawn: Vec<Drawn>,
    /// The path of the same page in the other edition, as the page links to it.
    other_edition: Option<String>,
    problems: Vec<String>,
}

/// The folders of the book's editions under the built book: English, then Chinese.
const EDITIONS: [&str; 2] = ["", "zh-CN/"];

/// Checks every chapter page (`ch*.html`) of both editions of the book built in `book_dir`.
pub fn run(book_dir: &Path) -> Result<()> {
    let port = serve(book_dir.to_path_buf())?;
    let mut failures = Vec::new();
    let mut canvases = 0;
    let mut checked = 0;
    for edition in EDITIONS {
        let pages = chapter_pages(&book_dir.join(edition))?;
        for page in pages.iter().map(|page| format!("{edition}{page}")) {
            let url = format!("http://127.0.0.1:{port}/{page}");
            let findings = findings_from_dom(&dump_dom(&url)?)
                .with_context(|| format!("reading the findings on {page}"))?;
            let mut problems = judge(&findings);
            if let Some(other) = &findings.other_edition
                && !book_dir.join(other.trim_start_matches('/')).is_file()
            {
                problems.push(format!(
                    "the link to the other edition, {other}, leads nowhere"
                ));
            }
            let verdict = if problems.is_empty() { "ok" } else { "FAILED" };
            println!(
                "{page}: {verdict} ({} formulas, {} figures)",
                findings.katex, findings.figures
            );
            if !findings.drawn.is_empty() {
                canvases += 1;
                let read: Vec<String> = findings
                    .drawn
                    .iter()
                    .map(|d| format!("{} as {}", d.digit, d.read))
                    .collect();
                println!(
                    "{page}: digits drawn on the canvas read {}",
                    read.join(", ")
                );
            }
            failures.extend(problems.into_iter().map(|p| format!("{page}: {p}")));
            checked += 1;
        }
    }
    if canvases < EDITIONS.len() {
        failures.push(
            "a page with a drawing canvas that reads digits drawn on it is missing from an edition"
                .into(),
        );
    }
    if !failures.is_empty() {
        bail!("browser check failed:\n  {}", failures.join("\n  "));
    }
    println!(
        "browser check: {checked} chapter pages of {} editions render their math and figures, \
         offline, and link to each other; the drawing canvas reads the digits drawn on it",
        EDITIONS.len()
    );
    Ok(())
}

/// The chapter pages (`ch*.html`) of the edition built in `dir`, in order.
fn chapter_pages(dir: &Path) -> Result<Vec<String>> {
    if !dir.join("index.html").is_file() {
        bail!("no book in {}: run `cargo xtask book` first", dir.display());
    }
    let mut pages: Vec<String> = std::fs::read_dir(dir)?
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .filter(|name| name.starts_with("ch") && name.ends_with(".html"))
        .collect();
    pages.sort();
    if pages.is_empty() {
        bail!("no chapter pages (ch*.html) in {}", dir.display());
    }
    Ok(pages)
}

/// What is wrong with a chapter page, given the script's findings.
fn judge(findings: &Findings) -> Vec<String> {
    let mut problems = findings.problems.clone();
    if findings.katex == 0 {
        problems.push("no rendered math (no .katex element)".into());
    }
    if findings.figures == 0 {
        problems.push("no figures".into());
    }
    if findings.other_edition.is_none() {
        problems.push("no link to the other edition".into());
    }
    problems.extend(findings.drawn.iter().flat_map(Drawn::problems));
    problems
}

/// Parses the `<pre id="browser-check">` the script appended to the page.
fn findings_from_dom(dom: &str) -> Result<Findings> {
    let start = dom
        .find(r#"<pre id="browser-check">"#)
        .context("the check script did not run (no findings in the page)")?;
    let body = &dom[start..];
    let body =
        &body[body.find('>').unwrap() + 1..body.find("</pre>").context("unclosed findings")?];
    let mut findings = Findings::default();
    for line in body.lines() {
        let (key, value) = line.split_once(' ').unwrap_or((line, ""));
        match key {
            "katex" => findings.katex = value.parse()?,
            "figures" => findings.figures = value.parse()?,
            "canvas" => findings.drawn.push(Drawn::parse(value)?),
            "language" => findings.other_edition = Some(value.to_string()),
            _ => findings.problems.push(line.replace("&amp;", "&")),
        }
    }
    Ok(findings)
}

/// Loads `url` in headless Chromium and returns the page as it stands once loaded.
fn dump_dom(url: &str) -> Result<String> {
    let profile =
        std::env::temp_dir().join(format!("browser-check-profile-{}", std::process::id()));
    let output = Command::new(chromium()?)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--virtual-time-budget=15000",
            "--dump-dom",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(url)
        .output()
        .context("starting chromium")?;
    if !output.status.success() {
        bail!(
            "chromium failed on {url}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

/// The Chromium binary (Debian's package `chromium`).
fn chromium() -> Result<&'static str> {
    for name in ["chromium", "chromium-browser", "google-chrome"] {
        if Command::new("which")
            .arg(name)
            .output()
            .is_ok_and(|o| o.status.success())
        {
            return Ok(name);
        }
    }
    bail!("Chromium is not installed: apt-get install chromium (Debian), then run this again")
}

/// Serves `dir` on 127.0.0.1 (a free port, returned) from a background thread, adding the
/// check script to every HTML page.
fn serve(dir: PathBuf) -> Result<u16> {
    let listener = TcpListener::bind("127.0.0.1:0").context("opening a port on 127.0.0.1")?;
    let port = listener.local_addr()?.port();
    let dir = Arc::new(dir);
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let dir = Arc::clone(&dir);
            std::thread::spawn(move || {
                let _ = respond(stream, &dir); // a dropped connection only affects that request
            });
        }
    });
    Ok(port)
}

/// Answers one HTTP request with the file it names, or 404.
fn respond(mut stream: TcpStream, dir: &Path) -> Result<()> {
    let mut request_line = String::new();
    BufReader::new(&stream).read_line(&mut request_line)?;
    let path = request_line.split_whitespace().nth(1).unwrap_or("/");
    let path = path.split(['?', '#']).next().unwrap_or("/");
    let relative = path.trim_start_matches('/');
    let relative = if relative.is_empty() {
        "index.html"
    } else {
        relative
    };
    let file = dir.join(relative);
    let inside = !relative.split('/').any(|part| part == "..");
    let (status, content_type, body) = match std::fs::read(&file) {
        Ok(bytes) if inside => {
            let content_type = content_type(&file);
            let body = if content_type.starts_with("text/html") {
                with_check_script(&String::from_utf8_lossy(&bytes)).into_bytes()
            } else {
                bytes
            };
            ("200 OK", content_type, body)
        }
        _ => ("404 Not Found", "text/plain", b"not found".to_vec()),
    };
    let header = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(header.as_bytes())?;
    stream.write_all(&body)?;
    Ok(())
}

/// The page with the check script just before `</body>`.
fn with_check_script(html: &str) -> String {
    match html.rfind("</body>") {
        Some(end) => format!("{}{CHECK_SCRIPT}{}", &html[..end], &html[end..]),
        None => format!("{html}{CHECK_SCRIPT}"),
    }
}

/// The MIME type of a file of the built book, by its extension.
fn content_type(file: &Path) -> &'static str {
    match file.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css",
        "js" => "text/javascript",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "ttf" => "font/ttf",
        "json" => "application/json",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn findings_are_read_back_from_the_dom() {
        let dom = "<body><p>x</p><pre id=\"browser-check\">katex 3\nfigures 2\nbroken-figure a.svg\noutside-request https://cdn.example/x?a=1&amp;b=2</pre></body>";
        let findings = findings_from_dom(dom).unwrap();
        assert_eq!((findings.katex, findings.figures), (3, 2));
        assert_eq!(
            findings.problems,
            [
                "broken-figure a.svg",
                "outside-request https://cdn.example/x?a=1&b=2"
            ]
        );
    }

    #[test]
    fn a_page_without_math_or_figures_fails() {
        let problems = judge(&Findings::default());
        assert_eq!(
            problems,
            [
                "no rendered math (no .katex element)",
                "no figures",
                "no link to the other edition"
            ]
        );
        assert!(
            judge(&Findings {
                katex: 1,
                figures: 1,
                drawn: vec![],
                other_edition: Some("/zh-CN/ch01_perceptron.html".into()),
                problems: vec![]
            })
            .is_empty()
        );
    }

    #[test]
    fn a_digit_drawn_on_the_canvas_must_be_read_and_shown_centred() {
        let dom = "<pre id=\"browser-check\">katex 1\nfigures 1\nlanguage /ch13_mnist.html\ncanvas 7 7 7 100.0 61.3 14.10 13.80\ncanvas 1 7 7 99.9 40.0 14.00 14.00\ncanvas 0 0 0 100.0 2.0 9.00 14.00</pre>";
        let findings = findings_from_dom(dom).unwrap();
        assert_eq!(findings.drawn.len(), 3);
        assert_eq!(findings.drawn[0].centre, (14.1, 13.8));
        assert_eq!(
            judge(&findings),
            [
                "a 1 drawn on the canvas is read as 7 (bold bar: 7)",
                "the 28×28 input shown for a drawn 0 holds 2 pixels of ink",
                "the 28×28 input shown for a drawn 0 is centred at (9, 14), not (14, 14)"
            ]
        );
        let failed = "<pre id=\"browser-check\">katex 1\nfigures 1\nlanguage /a.html\ncanvas-failed The canvas cannot work here</pre>";
        assert_eq!(
            judge(&findings_from_dom(failed).unwrap()),
            ["canvas-failed The canvas cannot work here"]
        );
    }

    #[test]
    fn the_script_goes_before_the_end_of_the_body() {
        let page = with_check_script("<html><body><p>hi</p></body></html>");
        assert!(page.ends_with("</script></body></html>"));
    }
}
