//! URL slugs and name keys: ASCII, lowercase, hyphen-separated, and stable across builds.

/// `Zhipu AI 智谱` -> `zhipu-ai-zhi-pu`; `o3-mini` -> `o3-mini`.
pub fn slugify(text: &str) -> String {
    let ascii = deunicode::deunicode(text);
    let mut slug = String::with_capacity(ascii.len());
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    while slug.ends_with('-') {
        slug.pop();
    }
    slug
}

/// The key under which two spellings of one name meet: case and white space ignored,
/// so "Open AI", "openai" and "OpenAI" are one company.
pub fn name_key(name: &str) -> String {
    name.chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_ascii_and_readable() {
        assert_eq!(
            slugify("DeepSeek-R1 rattles the AI industry!"),
            "deepseek-r1-rattles-the-ai-industry"
        );
        assert_eq!(slugify("Zhipu AI 智谱"), "zhipu-ai-zhi-pu");
        assert_eq!(slugify("  Mistral   AI  "), "mistral-ai");
        assert_eq!(slugify("Société Générale"), "societe-generale");
    }

    #[test]
    fn name_keys_ignore_case_and_space() {
        assert_eq!(name_key("Open AI"), name_key("openai"));
        assert_ne!(name_key("Open AI"), name_key("Open-AI"));
    }
}
