//! Numbers as the chapter's program prints them: lists, NumPy's scientific notation, counts
//! with thousands separators, and durations in the unit a reader would use.

/// A list of numbers as `[a, b, …]`, each printed by `show`.
///
/// ```
/// let text = ch08_gradients::list([1.0, 2.5], |v| format!("{v:.1}"));
/// assert_eq!(text, "[1.0, 2.5]");
/// ```
pub fn list(values: impl IntoIterator<Item = f64>, show: impl Fn(f64) -> String) -> String {
    let items: Vec<String> = values.into_iter().map(show).collect();
    format!("[{}]", items.join(", "))
}

/// The shortest text that reads back as the same f64, as Python prints a float.
///
/// ```
/// assert_eq!(ch08_gradients::exact(6.00000000000378), "6.00000000000378");
/// assert_eq!(ch08_gradients::exact(4.0), "4");
/// ```
pub fn exact(v: f64) -> String {
    format!("{v}")
}

/// Scientific notation as NumPy prints it: `-6.11110793e-10`, `2.50e+01`.
///
/// ```
/// use ch08_gradients::sci;
/// assert_eq!(sci(-6.11110793e-10, 8), "-6.11110793e-10");
/// assert_eq!(sci(25.0, 2), "2.50e+01");
/// ```
pub fn sci(v: f64, decimals: usize) -> String {
    let text = format!("{v:.decimals$e}");
    match text.split_once('e') {
        Some((mantissa, exponent)) => {
            let (sign, digits) = match exponent.strip_prefix('-') {
                Some(digits) => ('-', digits),
                None => ('+', exponent),
            };
            format!("{mantissa}e{sign}{digits:0>2}")
        }
        None => text, // inf or NaN
    }
}

/// A count with thousands separators: `39,760`.
///
/// ```
/// assert_eq!(ch08_gradients::thousands(39_760), "39,760");
/// assert_eq!(ch08_gradients::thousands(795_200_000), "795,200,000");
/// assert_eq!(ch08_gradients::thousands(7), "7");
/// ```
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A duration in seconds, in the largest unit that keeps it above 1 (µs, ms, s, min, h, days,
/// years of 365 days), to three significant digits.
///
/// ```
/// use ch08_gradients::duration;
/// assert_eq!(duration(3.97e-4), "397 µs");
/// assert_eq!(duration(31.8), "31.8 s");
/// assert_eq!(duration(318.0), "5.30 min");
/// assert_eq!(duration(3.18e5), "3.68 days");
/// ```
pub fn duration(seconds: f64) -> String {
    const UNITS: [(&str, f64); 7] = [
        ("years", 365.0 * 86_400.0),
        ("days", 86_400.0),
        ("h", 3_600.0),
        ("min", 60.0),
        ("s", 1.0),
        ("ms", 1e-3),
        ("µs", 1e-6),
    ];
    let (unit, size) = UNITS
        .into_iter()
        .find(|&(_, size)| seconds >= size)
        .unwrap_or(UNITS[UNITS.len() - 1]);
    let value = seconds / size;
    let decimals = if value >= 100.0 {
        0
    } else if value >= 10.0 {
        1
    } else {
        2
    };
    format!("{value:.decimals$} {unit}")
}
