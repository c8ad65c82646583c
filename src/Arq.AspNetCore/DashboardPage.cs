using System.Net;

namespace Arq.Dashboard;

/// <summary>The dashboard's one page: HTML, CSS and script in a single embedded file that loads nothing else. Each
/// request gets it with its own base address (so that it works under any path) and antiforgery token.</summary>
internal static class DashboardPage
{
    private const string Placeholder = "<!--arq:head-->";
    private static readonly string Html = Load();

    public static string Render(string basePath, string antiforgeryHeader, string antiforgeryToken) =>
        Html.Replace(Placeholder,
            $"<base href=\"{WebUtility.HtmlEncode(basePath.TrimEnd('/') + "/")}\">" +
            $"<meta name=\"arq-antiforgery\" data-header=\"{WebUtility.HtmlEncode(antiforgeryHeader)}\" content=\"{WebUtility.HtmlEncode(antiforgeryToken)}\">",
            StringComparison.Ordinal);

    private static string Load()
    {
        using var stream = typeof(DashboardPage).Assembly.GetManifestResourceStream("Arq.Dashboard.dashboard.html")
            ?? throw new InvalidOperationException("The dashboard page is missing from Arq.AspNetCore.");
        using var reader = new StreamReader(stream);
        var html = reader.ReadToEnd();
        return html.Contains(Placeholder, StringComparison.Ordinal) ? html : throw new InvalidOperationException("The dashboard page has no place for its base address.");
    }
}
