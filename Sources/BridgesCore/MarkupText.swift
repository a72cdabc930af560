/// Text made safe for HTML and XML: element content and quoted attribute values alike.
public enum MarkupText {
    /// `&`, `<`, `>`, `"` and `'` as entities; control characters (a tab apart) as spaces, since
    /// they have no place on a printed page or in an SVG title.
    public static func escaped(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default:
                if scalar.properties.generalCategory == .control && scalar != "\t" { out += " " } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out
    }
}
