using System.Text;

namespace Arq.PowerShell;

/// <summary>
/// Text from Redis (queue and function names, job ids, errors, health lines, a job's log lines) made safe to show on
/// a terminal: anyone who can write to Redis chooses it, and an escape sequence in it would reach the operator's
/// terminal raw (moving the cursor, rewriting what is shown, setting the window title). Control characters become
/// their visible Unicode pictures (ESC shows as ␛), and characters that reorder text (bidirectional overrides) as �.
/// The format views and the cmdlets' own output use it; the objects keep the text as it is.
/// </summary>
public static class TerminalText
{
    /// <summary>The text with every control character made visible; line breaks and tabs too, unless
    /// <paramref name="keepLineBreaks"/> (for multi-line messages such as a stack trace).</summary>
    public static string Clean(string? text, bool keepLineBreaks = false)
    {
        if (string.IsNullOrEmpty(text)) return text ?? "";
        StringBuilder? clean = null;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var replacement = c switch
            {
                '\n' or '\t' when keepLineBreaks => c,
                '\r' when keepLineBreaks && i + 1 < text.Length && text[i + 1] == '\n' => c,
                < ' ' => (char)(0x2400 + c), // ␀ … ␟
                '\u007f' => '\u2421', // ␡
                (>= '\u0080' and <= '\u009f') or (>= '\u202a' and <= '\u202e') or (>= '\u2066' and <= '\u2069') => '\ufffd',
                _ => c,
            };
            if (replacement == c && clean is null) continue;
            clean ??= new StringBuilder(text, 0, i, text.Length);
            clean.Append(replacement);
        }
        return clean?.ToString() ?? text;
    }
}
