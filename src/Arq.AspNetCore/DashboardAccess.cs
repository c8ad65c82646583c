using System.Net;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Arq.Dashboard;

/// <summary>
/// Who may use the dashboard that <see cref="ArqDashboardServer"/> serves (Start-ArqDashboard), checked before every
/// request:
/// <list type="bullet">
/// <item>the request names this dashboard's own host (an IP address, localhost, this machine's name, the bound name
/// or one of the host names given): a web page whose DNS name an attacker re-points at this port (DNS rebinding) gets
/// nothing;</item>
/// <item>with an access token, the request carries it: once in the address (<c>?token=</c>, swapped at once for a
/// cookie only this dashboard's pages send), or as <c>Authorization: Bearer</c> for scripts. Whoever holds it is the
/// dashboard's signed-in user, which actions require.</item>
/// </list>
/// </summary>
internal sealed class DashboardAccess(string? accessToken, IEnumerable<string> hostNames)
{
    /// <summary>The authentication scheme of the token.</summary>
    public const string Scheme = "ArqDashboardToken";

    /// <summary>The cookie that keeps the access token after the first visit.</summary>
    public const string CookieName = "arq_dashboard";

    private readonly HashSet<string> names = new(hostNames.Append("localhost").Append(Dns.GetHostName()), StringComparer.OrdinalIgnoreCase);
    private readonly byte[]? token = accessToken is null ? null : Encoding.UTF8.GetBytes(accessToken);

    /// <summary>Whether the dashboard asks for a token at all.</summary>
    public bool HasToken => token is not null;

    /// <summary>Refuses a request for a foreign host; swaps a token in the address for a cookie.</summary>
    public async Task GuardAsync(HttpContext context, RequestDelegate next)
    {
        var host = context.Request.Host.Host.Trim('[', ']');
        if (!IPAddress.TryParse(host, out _) && !names.Contains(host))
        {
            await WriteErrorAsync(context, StatusCodes.Status421MisdirectedRequest,
                $"This dashboard does not answer to '{host}': open it by IP address, localhost or this machine's name, or start it with that name in -HostName.").ConfigureAwait(false);
            return;
        }
        if (HttpMethods.IsGet(context.Request.Method) && context.Request.Query["token"] is [{ } given] && Holds(given))
        {
            // Keep the token in a cookie and out of the address bar, the history and any link's Referer.
            context.Response.Cookies.Append(CookieName, given, new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Strict, Path = "/" });
            context.Response.Headers.Location = (context.Request.PathBase + context.Request.Path).ToString();
            context.Response.StatusCode = StatusCodes.Status303SeeOther;
            return;
        }
        await next(context).ConfigureAwait(false);
    }

    private bool Holds(string? given) =>
        token is not null && given is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), token);

    private static string? TokenOf(HttpRequest request) =>
        request.Cookies[CookieName]
        ?? (request.Headers.Authorization is [{ } authorization] && authorization.StartsWith("Bearer ", StringComparison.Ordinal) ? authorization[7..] : null);

    private static Task WriteErrorAsync(HttpContext context, int status, string error)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(new { error });
    }

    /// <summary>The token as an authentication scheme: its holder is signed in.</summary>
    internal sealed class Handler(DashboardAccess access, IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        protected override Task<AuthenticateResult> HandleAuthenticateAsync() =>
            Task.FromResult(access.Holds(TokenOf(Request))
                ? AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "token holder")], DashboardAccess.Scheme)), DashboardAccess.Scheme))
                : AuthenticateResult.NoResult());

        protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
            WriteErrorAsync(Context, StatusCodes.Status401Unauthorized,
                "Sign in: open the address Start-ArqDashboard printed, which holds the access token (or send it as 'Authorization: Bearer <token>').");
    }
}
