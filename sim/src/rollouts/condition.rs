//! Analysis conditions (`successCondition`, `failureCondition`): the part of Argo's expression
//! language they use, read when a template is validated and evaluated at every measurement.
/// The part of Argo's expression language conditions use: `result` (or `result[0]`) compared
/// with numbers by `<`, `<=`, `>`, `>=`, `==`, `!=`, joined by `&&`/`and` and `||`/`or`.
pub fn condition(text: &str, result: f64) -> Result<bool, String> {
    let spaced = text.replace("&&", " and ").replace("||", " or ");
    let mut any = false;
    for alternative in split_words(&spaced, "or") {
        let mut all = true;
        for term in split_words(&alternative, "and") {
            all &= comparison(term.trim(), result)?;
        }
        any |= all;
    }
    Ok(any)
}

fn split_words(text: &str, word: &str) -> Vec<String> {
    let mut parts = vec![String::new()];
    for w in text.split_whitespace() {
        if w == word {
            parts.push(String::new());
        } else if let Some(last) = parts.last_mut() {
            last.push(' ');
            last.push_str(w);
        }
    }
    parts
}

fn comparison(term: &str, result: f64) -> Result<bool, String> {
    const OPS: [&str; 6] = ["<=", ">=", "==", "!=", "<", ">"];
    let (at, op) = OPS
        .iter()
        .filter_map(|op| term.find(op).map(|i| (i, *op)))
        .min_by_key(|(i, op)| (*i, std::cmp::Reverse(op.len())))
        .ok_or(format!(
            "{term:?} is not a comparison such as `result < 0.05`"
        ))?;
    let operand = |s: &str| -> Result<f64, String> {
        match s.trim() {
            "result" | "result[0]" => Ok(result),
            n => crate::decimal::parse(n)
                .ok_or_else(|| format!("{n:?} is neither `result` nor a number")),
        }
    };
    let (a, b) = (operand(&term[..at])?, operand(&term[at + op.len()..])?);
    Ok(match op {
        "<=" => a <= b,
        ">=" => a >= b,
        "==" => a == b,
        "!=" => a != b,
        "<" => a < b,
        _ => a > b,
    })
}

#[cfg(test)]
mod tests {
    use super::condition;

    #[test]
    fn conditions_read_as_argo_writes_them() {
        assert_eq!(condition("result < 0.05", 0.01), Ok(true));
        assert_eq!(condition("result[0] <= 0.05", 0.06), Ok(false));
        assert_eq!(condition("result >= 0.95 && result <= 1", 0.97), Ok(true));
        assert_eq!(condition("result > 500 || result < 1", 0.5), Ok(true));
        assert_eq!(condition("result > 500 or result < 1", 3.0), Ok(false));
        assert!(condition("result ~ 3", 1.0).is_err());
        assert!(condition("len(result) > 0", 1.0).is_err());
    }
}
