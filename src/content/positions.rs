//! Lines and columns of many byte offsets of one text in one pass over it, so that a file
//! with thousands of problems (20,000 unknown keys, say) is reported in linear time, where
//! locating each offset from the start of the text (`error::line_col`) would be quadratic.

/// 1-based (line, column in characters) of each of `offsets` in `text`, in their order.
/// The same as `error::line_col` for each: an offset past the end is the end, and one
/// inside a character is that character.
pub fn line_cols(text: &str, offsets: &[usize]) -> Vec<(usize, usize)> {
    let mut order: Vec<usize> = (0..offsets.len()).collect();
    order.sort_unstable_by_key(|&i| offsets[i]);
    let mut result = vec![(1, 1); offsets.len()];
    let (mut at, mut line, mut col) = (0usize, 1usize, 1usize);
    for i in order {
        let mut target = offsets[i].min(text.len());
        while !text.is_char_boundary(target) {
            target -= 1;
        }
        for c in text[at..target].chars() {
            if c == '\n' {
                line += 1;
                col = 1;
            } else {
                col += 1;
            }
        }
        at = target;
        result[i] = (line, col);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::line_cols;
    use crate::error::line_col;

    #[test]
    fn agrees_with_line_col_in_any_order() {
        let text = "ab\nçd\n\nef é\n";
        let offsets = [9, 0, 3, 5, 4, 100, 2, 7, 3];
        let expected: Vec<_> = offsets.iter().map(|&o| line_col(text, o)).collect();
        assert_eq!(line_cols(text, &offsets), expected);
        assert_eq!(line_cols(text, &[]), vec![]);
    }
}
