//! The Chinese edition. The English pages are the source; `po/zh-CN.po` holds their Chinese,
//! one gettext message per paragraph, heading, list item or table cell. mdbook-i18n-helpers
//! extracts the messages (`mdbook-xgettext`) and puts the translation in when the book is built
//! (`mdbook-gettext`); GNU gettext's `msgmerge` carries the translations over when a page
//! changes, marking a changed paragraph's translation fuzzy.
//!
//! Two things need a step before the translation and one after it ([`prepare`], [`restore`]).
//! mdbook-gettext reads a page as Markdown and writes it back, and Markdown has its own meaning
//! for `\`, `*`, `_` and `[` — so `$h^*$` or `\{` would come back changed before KaTeX sees them.
//! So on the way in, math is put inside code, which Markdown keeps as it is (`$x$` becomes
//! `` `$x$` ``, a `$$` block a fenced `math` block), and on the way out, after the translation
//! and before KaTeX, it is taken out again. And the title of an aside,
//! `<details><summary>🦀 Closures and <code>impl Fn</code></summary>`, is HTML, which gettext
//! does not translate: on the way in it becomes a Markdown paragraph of its own, on the way out
//! HTML again. The messages show math and titles in that form; a translation keeps it so.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};
use serde_json::Value;

use crate::tools;

/// The edition's language, as mdBook, the `po` file and the built book's folder name it.
pub const LANGUAGE: &str = "zh-CN";
/// The edition's title.
pub const TITLE: &str = "从零开始的神经网络：用 Rust 实现";

/// The translation: `po/zh-CN.po`.
pub fn po_file(root: &Path) -> PathBuf {
    root.join("po").join(format!("{LANGUAGE}.po"))
}

/// Where a line of a page is, for [`prepare`].
enum Block<'a> {
    Text,
    /// Inside a fenced code block opened by these marks (```` ``` ```` or `~~~`).
    Code(&'a str),
    DisplayMath,
}

/// Readies a page for translation: puts math inside code, where Markdown leaves it alone
/// (`$x$` → `` `$x$` `` on one line, a `$$` block → a fenced `math` block), and an aside's title
/// in a paragraph of its own. Code (fenced blocks and inline spans) is left as it is.
///
/// ```text
/// Sum $a = w x + b$.                     →   Sum `$a = w x + b$`.
/// $$                                     →   ```math
/// h^* = \{0\}                            →   h^* = \{0\}
/// $$                                     →   ```
/// <details><summary>🦀 <code>Vec</code></summary>   →   <details><summary>
///                                                    (blank)
///                                                    🦀 `Vec`
///                                                    (blank)
///                                                    </summary>
/// ```
pub fn prepare(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len() + markdown.len() / 8);
    let mut text = String::new();
    let mut block = Block::Text;
    for line in markdown.split_inclusive('\n') {
        let trimmed = line.trim();
        match block {
            Block::Code(marks) => {
                out.push_str(line);
                if trimmed.starts_with(marks) && trimmed.trim_start_matches(['`', '~']).is_empty() {
                    block = Block::Text;
                }
            }
            Block::DisplayMath => {
                if trimmed == "$$" {
                    out.push_str(&line.replace("$$", "```"));
                    block = Block::Text;
                } else {
                    out.push_str(line);
                }
            }
            Block::Text if trimmed.starts_with("```") || trimmed.starts_with("~~~") => {
                out.push_str(&wrap_inline_math(&std::mem::take(&mut text)));
                let marks = trimmed.len() - trimmed.trim_start_matches(['`', '~']).len();
                block = Block::Code(&trimmed[..marks]);
                out.push_str(line);
            }
            Block::Text if trimmed == "$$" => {
                out.push_str(&wrap_inline_math(&std::mem::take(&mut text)));
                out.push_str(&line.replace("$$", "```math"));
                block = Block::DisplayMath;
            }
            Block::Text if let Some(title) = aside_title(trimmed) => {
                text.push_str(&format!(
                    "{SUMMARY_OPEN}\n\n{}\n\n{SUMMARY_CLOSE}\n",
                    html_to_markdown(title)
                ));
            }
            Block::Text => text.push_str(line),
        }
    }
    out.push_str(&wrap_inline_math(&text));
    out
}

/// An aside's title opens with this line…
const SUMMARY_OPEN: &str = "<details><summary>";
/// …and closes with this one.
const SUMMARY_CLOSE: &str = "</summary>";

/// The title of an aside's first line, `<details><summary>title</summary>`.
fn aside_title(line: &str) -> Option<&str> {
    line.strip_prefix(SUMMARY_OPEN)?.strip_suffix(SUMMARY_CLOSE)
}

/// An aside's title, `<code>` and all, as Markdown: `` <code>&amp;mut</code> `` → `` `&mut` ``.
fn html_to_markdown(title: &str) -> String {
    let title = title.replace("<code>", "`").replace("</code>", "`");
    title
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// The inverse of [`html_to_markdown`].
fn markdown_to_html(title: &str) -> String {
    let title = title
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    let mut html = String::new();
    for (i, part) in title.split('`').enumerate() {
        if i % 2 == 1 {
            html.push_str(&format!("<code>{part}</code>"));
        } else {
            html.push_str(part);
        }
    }
    html
}

/// `$…$` → `` `$…$` `` in running text (which may span lines), skipping inline code.
fn wrap_inline_math(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(['`', '$']) {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let Some(end) = span_end(rest) else { break };
        if rest.starts_with('$') {
            // On one line: a line of math that starts with `+ ` must not start a list.
            out.push('`');
            out.push_str(&rest[..end].replace('\n', " "));
            out.push('`');
        } else {
            out.push_str(&rest[..end]);
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// Where the inline code span (`` `…` ``, ``` ``…`` ```…) or the math (`$…$`) that `text` starts
/// with ends, if it is closed.
fn span_end(text: &str) -> Option<usize> {
    if let Some(math) = text.strip_prefix('$') {
        return math.find('$').map(|end| end + 2);
    }
    let ticks = text.len() - text.trim_start_matches('`').len();
    let mut from = ticks;
    // The span ends at the next run of exactly as many backticks.
    while let Some(at) = text[from..].find('`') {
        let start = from + at;
        let run = text[start..].len() - text[start..].trim_start_matches('`').len();
        if run == ticks {
            return Some(start + run);
        }
        from = start + run;
    }
    None
}

/// Undoes [`prepare`] on the page as mdbook-gettext writes it back: math out of code, asides'
/// titles back in their HTML.
pub fn restore(markdown: &str) -> String {
    unwrap_math(&restore_aside_titles(markdown))
}

/// `<details><summary>`, a paragraph, `</summary>` → `<details><summary>title</summary>`.
fn restore_aside_titles(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    let mut rest = markdown;
    while let Some(at) = rest.find(&format!("{SUMMARY_OPEN}\n")) {
        let after = &rest[at + SUMMARY_OPEN.len()..];
        let Some(end) = after.find(&format!("\n{SUMMARY_CLOSE}")) else {
            break;
        };
        out.push_str(&rest[..at]);
        let title = after[..end]
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        out.push_str(&format!(
            "{SUMMARY_OPEN}{}{SUMMARY_CLOSE}",
            markdown_to_html(&title)
        ));
        rest = &after[end + 1 + SUMMARY_CLOSE.len()..];
    }
    out.push_str(rest);
    out
}

/// Takes math out of code again.
fn unwrap_math(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    let mut text = String::new();
    let (mut in_math, mut in_code) = (false, false);
    for line in markdown.split_inclusive('\n') {
        let trimmed = line.trim();
        if in_math {
            in_math = trimmed != "```";
            out.push_str(if in_math { line } else { "$$\n" });
        } else if trimmed == "```math" && !in_code {
            out.push_str(&unwrap_inline_math(&std::mem::take(&mut text)));
            in_math = true;
            out.push_str("$$\n");
        } else if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            out.push_str(&unwrap_inline_math(&std::mem::take(&mut text)));
            in_code = !in_code;
            out.push_str(line);
        } else if in_code {
            out.push_str(line);
        } else {
            text.push_str(line);
        }
    }
    out.push_str(&unwrap_inline_math(&text));
    out
}

/// `` `$…$` `` → `$…$` in running text, and emphasis written with `*`; other inline code
/// stays as it is.
fn unwrap_inline_math(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('`') {
        out.push_str(&star_emphasis(&rest[..at]));
        rest = &rest[at..];
        let Some(end) = span_end(rest) else { break };
        let code = &rest[..end];
        match code.strip_prefix("`$").and_then(|c| c.strip_suffix("$`")) {
            Some(math) if !math.contains('`') => out.push_str(&code[1..end - 1]),
            _ => out.push_str(code),
        }
        rest = &rest[end..];
    }
    out.push_str(&star_emphasis(rest));
    out
}

/// mdbook-gettext writes emphasis as `_…_`, which Markdown does not read as emphasis next to a
/// Chinese character; `*…*` it does. An underscore escaped (`\_`), between two letters or digits
/// (`ch01_perceptron`), or in a link target, HTML tag or `{{#include …}}` is text, and stays.
fn star_emphasis(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut skip_until = None;
    for (i, &c) in chars.iter().enumerate() {
        let before = i.checked_sub(1).map(|j| chars[j]);
        let after = chars.get(i + 1).copied();
        let alphanumeric = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
        if let Some(end) = skip_until {
            if c == end {
                skip_until = None;
            }
        } else if c == '(' && before == Some(']') {
            skip_until = Some(')');
        } else if c == '<' && before != Some('\\') {
            skip_until = Some('>');
        } else if c == '{' && after == Some('{') {
            skip_until = Some('}');
        } else if c == '_' && before != Some('\\') && !(alphanumeric(before) && alphanumeric(after))
        {
            out.push('*');
            continue;
        }
        out.push(c);
    }
    out
}

/// Runs as an mdBook preprocessor (`xtask translation prepare|restore`): reads `[context, book]` as JSON
/// from standard input and writes the book, every chapter's text changed by `change`.
pub fn preprocess(change: fn(&str) -> String) -> Result<()> {
    let mut input = String::new();
    std::io::stdin().read_to_string(&mut input)?;
    let [_context, mut book]: [Value; 2] =
        serde_json::from_str(&input).context("reading the book mdBook sends")?;
    change_chapters(&mut book, change);
    serde_json::to_writer(std::io::stdout(), &book)?;
    Ok(())
}

/// Changes the `content` of every chapter in mdBook's JSON book, sub-chapters included.
fn change_chapters(value: &mut Value, change: fn(&str) -> String) {
    match value {
        Value::Object(map) => {
            if map.contains_key("sub_items")
                && let Some(Value::String(content)) = map.get_mut("content")
            {
                *content = change(content);
            }
            map.values_mut().for_each(|v| change_chapters(v, change));
        }
        Value::Array(items) => items.iter_mut().for_each(|v| change_chapters(v, change)),
        _ => {}
    }
}

/// The command that runs this program as the preprocessor `step` ([`prepare`] or [`restore`]).
fn step_command(step: &str) -> Result<String> {
    let exe = std::env::current_exe()?;
    Ok(format!("{} translation {step}", exe.display()))
}

/// mdBook with the settings of the Chinese edition: its language and title, and the
/// translation between [`prepare`] and [`restore`], before the includes are filled in (so code
/// and program output stay one source) and before KaTeX renders the math.
pub fn edition_command(mdbook: &Path) -> Result<Command> {
    let mut command = Command::new(mdbook);
    command
        .env("MDBOOK_BOOK__LANGUAGE", LANGUAGE)
        .env("MDBOOK_BOOK__TITLE", TITLE)
        .env(
            "MDBOOK_PREPROCESSOR__PREPARE",
            serde_json::json!({ "command": step_command("prepare")?, "before": ["gettext"] })
                .to_string(),
        )
        .env(
            "MDBOOK_PREPROCESSOR__GETTEXT",
            serde_json::json!({ "before": ["links"], "renderers": ["html"] }).to_string(),
        )
        .env(
            "MDBOOK_PREPROCESSOR__RESTORE",
            serde_json::json!({
                "command": step_command("restore")?,
                "after": ["gettext"],
                "before": ["links"],
            })
            .to_string(),
        );
    Ok(command)
}

/// Extracts the pages' messages into `dir/messages.pot` (mdbook-xgettext): the pages as
/// written and [`prepare`]d, includes not filled in.
pub fn extract(root: &Path, mdbook: &Path, dir: &Path) -> Result<PathBuf> {
    let output = Command::new(mdbook)
        .arg("build")
        .arg("--dest-dir")
        .arg(dir)
        .current_dir(root)
        .env("PATH", tools::path_with_tools(root)?)
        .env("MDBOOK_BUILD__USE_DEFAULT_PREPROCESSORS", "false")
        .env(
            "MDBOOK_PREPROCESSOR__PREPARE",
            serde_json::json!({ "command": step_command("prepare")? }).to_string(),
        )
        .env(
            "MDBOOK_OUTPUT",
            serde_json::json!({ "xgettext": { "pot-file": "messages.pot", "granularity": 0 } })
                .to_string(),
        )
        .output()
        .context("running mdbook-xgettext")?;
    if !output.status.success() {
        bail!(
            "extracting the messages failed:\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    Ok(dir.join("messages.pot"))
}

/// `cargo xtask po`: extracts the messages and merges them into `po/zh-CN.po` (GNU gettext's
/// `msgmerge`): a new paragraph arrives untranslated, a changed one keeps its old translation
/// marked fuzzy, a removed one is kept as obsolete at the end of the file.
pub fn update(root: &Path, mdbook: &Path) -> Result<()> {
    let dir = root.join("target").join("po");
    let pot = extract(root, mdbook, &dir)?;
    let po = po_file(root);
    tools::run(
        Command::new("msgmerge")
            .args(["--quiet", "--update", "--backup=none", "--previous"])
            .arg(&po)
            .arg(&pot),
    )
    .context("msgmerge comes with GNU gettext (Debian: apt-get install gettext)")?;
    let status = status(&pot, &po)?;
    println!("{}: {status}", po.display());
    Ok(())
}

/// `cargo xtask po --check`: fails unless every message of the pages, as they are now, has a
/// translation in `po/zh-CN.po` that is not fuzzy.
pub fn check(root: &Path, mdbook: &Path) -> Result<()> {
    let dir = scratch_dir(root)?;
    let pot = extract(root, mdbook, &dir)?;
    let po = po_file(root);
    let status = status(&pot, &po)?;
    std::fs::remove_dir_all(&dir).ok();
    if status.untranslated.is_empty() && status.fuzzy.is_empty() {
        println!("{}: {status}", po.display());
        return Ok(());
    }
    bail!(
        "{}: {status}\n{}\nAfter changing a page, run `cargo xtask po` and translate what it \
         marks (see po/README.md).",
        po.display(),
        status.examples()
    )
}

/// A fresh folder under `target/` for one extraction.
fn scratch_dir(root: &Path) -> Result<PathBuf> {
    let dir = root
        .join("target")
        .join(format!("po-check-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}

/// How much of the pages' messages a translation covers.
pub struct Status {
    pub messages: usize,
    pub untranslated: Vec<String>,
    pub fuzzy: Vec<String>,
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} messages, {} translated, {} untranslated, {} fuzzy",
            self.messages,
            self.messages - self.untranslated.len() - self.fuzzy.len(),
            self.untranslated.len(),
            self.fuzzy.len()
        )
    }
}

impl Status {
    /// The first few messages that need work, shortened.
    fn examples(&self) -> String {
        let short = |kind: &str, id: &String| {
            let first: String = id.chars().take(70).collect();
            format!("  {kind}: {first:?}")
        };
        let lines: Vec<String> = (self.untranslated.iter().map(|id| short("untranslated", id)))
            .chain(self.fuzzy.iter().map(|id| short("fuzzy", id)))
            .take(8)
            .collect();
        lines.join("\n")
    }
}

/// The header lines polib needs in a `.po` or `.pot` file.
const HEADER_FIELDS: [&str; 8] = [
    "Project-Id-Version",
    "POT-Creation-Date",
    "PO-Revision-Date",
    "Language-Team",
    "MIME-Version",
    "Content-Type",
    "Content-Transfer-Encoding",
    "Language",
];

/// Compares the messages of `pot` with their translations in `po`.
pub fn status(pot: &Path, po: &Path) -> Result<Status> {
    let read = |path: &Path| {
        // polib stops the program on a header without these: say so instead.
        let text =
            std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        for field in HEADER_FIELDS {
            if !text.contains(&format!("\"{field}: ")) {
                bail!("{}: the header has no {field} line", path.display());
            }
        }
        polib::po_file::parse(path).map_err(|e| anyhow::anyhow!("reading {}: {e}", path.display()))
    };
    let (template, translation) = (read(pot)?, read(po)?);
    let mut status = Status {
        messages: 0,
        untranslated: Vec::new(),
        fuzzy: Vec::new(),
    };
    for message in template.messages() {
        status.messages += 1;
        let id = message.msgid();
        match translation.find_message(None, id, None) {
            Some(m) if m.is_fuzzy() => status.fuzzy.push(id.to_string()),
            Some(m) if m.is_translated() => {}
            _ => status.untranslated.push(id.to_string()),
        }
    }
    Ok(status)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn math_goes_into_code_and_comes_out_as_it_was() {
        let page = "A sum $a = w_1 x_1 + b$ and $h^*$, split $\\delta =\n+ 10^{-7}$ over lines.\n\n\
                    $$\nL = -\\sum_k t_k \\ln y_k \\\\ \\{0\\}\n$$\n\n\
                    Code `$ cargo run` and ``a`$b$`` stay.\n\n```console\n$ cargo run\n```\n";
        let wrapped = prepare(page);
        assert!(wrapped.contains("A sum `$a = w_1 x_1 + b$` and `$h^*$`"));
        assert!(wrapped.contains("`$\\delta = + 10^{-7}$`"));
        assert!(wrapped.contains("```math\nL = -\\sum_k t_k \\ln y_k \\\\ \\{0\\}\n```\n"));
        assert!(wrapped.contains("Code `$ cargo run` and ``a`$b$`` stay."));
        assert!(wrapped.contains("```console\n$ cargo run\n```\n"));
        assert_eq!(restore(&wrapped), page.replace("=\n+", "= +"));
    }

    #[test]
    fn emphasis_next_to_chinese_is_written_with_stars() {
        assert_eq!(
            restore("就_激活_——见 _Deep Learning_ 和 `a_b`\n"),
            "就*激活*——见 *Deep Learning* 和 `a_b`\n"
        );
        let text = "ch01_perceptron, a\\_b, [x_y](p_q.svg) <img src=\"a_b\"> {{#include a_b}}\n";
        assert_eq!(restore(text), text);
    }

    #[test]
    fn an_asides_title_becomes_a_paragraph_and_comes_back() {
        let page = "<details><summary>🦀 <code>&amp;mut</code> and <code>Vec&lt;f64&gt;</code></summary>\n\nText.\n</details>\n";
        let prepared = prepare(page);
        assert!(
            prepared.contains("<details><summary>\n\n🦀 `&mut` and `Vec<f64>`\n\n</summary>\n")
        );
        assert_eq!(restore(&prepared).replace("\n\n\n", "\n\n"), page);
        // as mdbook-gettext writes a translated title back
        let translated =
            "<details><summary>\n\n🦀 `&mut` 与\n`Vec<f64>`\n</summary>\n\n正文。\n</details>\n";
        assert_eq!(
            restore(translated),
            "<details><summary>🦀 <code>&amp;mut</code> 与 <code>Vec&lt;f64&gt;</code></summary>\n\n正文。\n</details>\n"
        );
    }

    #[test]
    fn a_lone_dollar_is_left_alone() {
        assert_eq!(prepare("costs $5 only\n"), "costs $5 only\n");
        assert_eq!(restore("a `$` sign\n"), "a `$` sign\n");
    }

    #[test]
    fn chapters_and_sub_chapters_are_changed() {
        let mut book = serde_json::json!({ "items": [
            { "Chapter": { "name": "One", "content": "$x$\n", "sub_items": [
                { "Chapter": { "name": "Two", "content": "$y$\n", "sub_items": [] } }
            ] } },
            "Separator"
        ] });
        change_chapters(&mut book, prepare);
        let text = book.to_string();
        assert!(text.contains(r#""content":"`$x$`\n""#), "{text}");
        assert!(text.contains(r#""content":"`$y$`\n""#), "{text}");
    }
}
