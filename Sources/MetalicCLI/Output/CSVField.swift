/// A text field for a CSV file (RFC 4180): quoted, with embedded quotes doubled, so that names
/// with commas — arms like `uavg,rc`, strategies like `fixed uavg,rc`, study paths — stay one field.
func csvField(_ text: String) -> String {
    "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
}

/// The fields of one CSV line written with `csvField` (quotes removed, doubled quotes undone).
func csvFields<S: StringProtocol>(_ line: S) -> [String] {
    var fields = [String](), field = "", quoted = false
    var rest = Substring(line)
    while let c = rest.popFirst() {
        if quoted {
            if c == "\"" {
                if rest.first == "\"" { field.append("\""); rest.removeFirst() } else { quoted = false }
            } else {
                field.append(c)
            }
        } else if c == "\"" {
            quoted = true
        } else if c == "," {
            fields.append(field)
            field = ""
        } else {
            field.append(c)
        }
    }
    fields.append(field)
    return fields
}
