using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace Arq.Dashboard;

/// <summary>
/// Who may use the dashboard, checked before every request:
/// <list type="bullet">
/// <item>the request names this dashboard's own host (an IP address, localhost, this machine's name, the bound
/// name or one of <see cref="ArqDashboardOptions.HostNames"/>): a web page whose DNS name an attacker re-points at this
/// port (DNS rebinding) gets nothing;</item>
/// <item>with an access token, the request carries it: once in the address (<c>?token=</c>, swapped at once for a
/// cookie only this dashboard's pages send), or as <c>Authorization: Bearer</c> for scripts;</item>
/// <item>an action comes from the dashboard's own page: it carries the <see cref="ActionHeader"/> header, which no
/// cross-site form can send and no cross-site script may send without a CORS permission this server never gives.</item>
/// </list>
/// </summary>
internal sealed class DashboardGuard(string? accessToken, IEnumerable<string> hostNames)
{
    /// <summary>The header the page sends with every action.</summary>
    public const string ActionHeader = "X-Arq-Action";

    /// <summary>The cookie that keeps the access token after the first visit.</summary>
    public const string CookieName = "arq_dashboard";

    private readonly HashSet<string> names = new(hostNames.Append("localhost").Append(Dns.GetHostName()), StringComparer.OrdinalIgnoreCase);
    private readonly byte[]? token = accessToken is null ? null : Encoding.UTF8.GetBytes(accessToken);

    /// <summary>Null when the request may go on; otherwise the status and error to answer with.</summary>
    public (int Status, string Error)? Check(HttpListenerRequest request)
    {
        var host = request.Url!.Host.Trim('[', ']');
        if (!IPAddress.TryParse(host, out _) && !names.Contains(host))
            return (421, $"This dashboard does not answer to '{host}': open it by IP address, localhost or this machine's name, or start it with that name in HostNames (-HostName).");
        if (token is not null && !Holds(TokenOf(request)))
            return (401, "Sign in: open the address Start-ArqDashboard printed, which holds the access token (or send it as 'Authorization: Bearer <token>').");
        if (request.HttpMethod != "GET")
        {
            if (request.Headers[ActionHeader] is null)
                return (403, $"Actions come from the dashboard's page only (with the {ActionHeader} header).");
            if (request.Headers["Sec-Fetch-Site"] is { } site && site is not ("same-origin" or "none"))
                return (403, "Actions come from the dashboard's page only, not from another site.");
        }
        return null;
    }

    /// <summary>The token in the address, to swap for a cookie; null when there is none or it is wrong.</summary>
    public string? TokenInAddress(HttpListenerRequest request) =>
        request.QueryString["token"] is { } given && Holds(given) ? given : null;

    private static string? TokenOf(HttpListenerRequest request) =>
        request.QueryString["token"]
        ?? request.Cookies[CookieName]?.Value
        ?? (request.Headers["Authorization"] is { } authorization && authorization.StartsWith("Bearer ", StringComparison.Ordinal) ? authorization[7..] : null);

    private bool Holds(string? given) =>
        token is not null && given is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), token);
}
