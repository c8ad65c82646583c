using System.Net;
using System.Text.RegularExpressions;

namespace Arq.Tests.Hosting;

/// <summary>The antiforgery header and token the dashboard's page carries for its actions, read as its script reads
/// them; null when the page has none (a refused request's body is no page).</summary>
internal static partial class DashboardPageToken
{
    public static (string Header, string Token)? Read(string page) =>
        Meta().Match(page) is { Success: true } meta
            ? (WebUtility.HtmlDecode(meta.Groups[1].Value), WebUtility.HtmlDecode(meta.Groups[2].Value))
            : null;

    [GeneratedRegex("<meta name=\"arq-antiforgery\" data-header=\"([^\"]+)\" content=\"([^\"]+)\">")]
    private static partial Regex Meta();
}
