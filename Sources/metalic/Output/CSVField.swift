/// A text field for a CSV file (RFC 4180): quoted, with embedded quotes doubled, so that names
/// with commas — arms like `uavg,rc`, strategies like `fixed uavg,rc`, study paths — stay one field.
func csvField(_ text: String) -> String {
    "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
}
