namespace Arq.Dashboard;

/// <summary>The dashboard's one page: HTML, CSS and script in a single embedded file that loads nothing else.</summary>
internal static class DashboardPage
{
    public static string Html { get; } = Load();

    private static string Load()
    {
        using var stream = typeof(DashboardPage).Assembly.GetManifestResourceStream("Arq.Dashboard.dashboard.html")
            ?? throw new InvalidOperationException("The dashboard page is missing from Arq.Core.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
