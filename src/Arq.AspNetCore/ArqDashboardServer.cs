using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Arq.Dashboard;

/// <summary>Where <see cref="ArqDashboardServer"/> listens and who may use it.</summary>
internal sealed record ArqDashboardServerOptions
{
    /// <summary>The TCP port; 0 picks a free one.</summary>
    public int Port { get; init; } = 8099;

    /// <summary>The address to listen on: loopback by default; <c>*</c> for every interface.</summary>
    public string Bind { get; init; } = "127.0.0.1";

    /// <summary>The secret a visitor needs; null makes a random one unless the dashboard is read-only on loopback.</summary>
    public string? AccessToken { get; init; }

    /// <summary>Names the dashboard answers to besides IP addresses, localhost and this machine's name.</summary>
    public IReadOnlyList<string> HostNames { get; init; } = [];

    /// <summary>What the dashboard shows and allows.</summary>
    public ArqDashboardOptions Dashboard { get; init; } = new();
}

/// <summary>
/// The dashboard of <see cref="ArqDashboardEndpointRouteBuilderExtensions.MapArqDashboard"/> on a Kestrel server of its
/// own, for Start-ArqDashboard: on loopback unless told otherwise, and never open beyond it or with actions without an
/// access token (a random one when none is given, in <see cref="Address"/>).
/// </summary>
internal sealed class ArqDashboardServer : IAsyncDisposable
{
    private readonly WebApplication app;

    private ArqDashboardServer(WebApplication app, Uri address)
    {
        this.app = app;
        Address = address;
    }

    /// <summary>Where to open the dashboard, with the access token when it has one.</summary>
    public Uri Address { get; }

    /// <summary>Starts serving; returns once the server listens.</summary>
    /// <exception cref="ArqException">The address cannot be listened on.</exception>
    public static async Task<ArqDashboardServer> StartAsync(ArqClient client, ArqDashboardServerOptions options, CancellationToken cancellationToken)
    {
        var anyInterface = options.Bind is "*" or "0.0.0.0" or "+" or "::";
        var loopback = options.Bind is "127.0.0.1" or "localhost" or "::1";
        var token = options.AccessToken ?? (loopback && !options.Dashboard.AllowActions ? null : Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant());
        var access = new DashboardAccess(token, options.HostNames.Append(options.Bind));

        // An empty builder: no configuration files or environment of the working folder reach it.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = "Arq.Dashboard" });
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            if (anyInterface) kestrel.ListenAnyIP(options.Port);
            else kestrel.Listen(options.Bind == "localhost" ? IPAddress.Loopback : IPAddress.Parse(options.Bind), options.Port);
        });
        builder.Services.AddRoutingCore();
        builder.Services.AddSingleton(client);
        builder.Services.AddAntiforgery();
        // The antiforgery keys live as long as the dashboard; nothing is written to the user's profile.
        builder.Services.AddSingleton<IDataProtectionProvider>(new EphemeralDataProtectionProvider());
        builder.Services.AddSingleton(access);
        builder.Services.AddAuthentication(DashboardAccess.Scheme).AddScheme<AuthenticationSchemeOptions, DashboardAccess.Handler>(DashboardAccess.Scheme, null);
        builder.Services.AddAuthorization();
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.Use(access.GuardAsync);
        app.UseAuthentication();
        app.UseAuthorization();
        var dashboard = app.MapArqDashboard("/", options.Dashboard);
        if (access.HasToken) dashboard.RequireAuthorization();
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw new ArqException($"The dashboard cannot listen on {options.Bind}:{options.Port}: {e.Message}", e);
        }
        catch (SocketException e)
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw new ArqException($"The dashboard cannot listen on {options.Bind}:{options.Port}: {e.Message}", e);
        }
        var port = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()).Port;
        var host = anyInterface ? "localhost" : options.Bind.Contains(':', StringComparison.Ordinal) ? $"[{options.Bind}]" : options.Bind;
        return new ArqDashboardServer(app, new Uri($"http://{host}:{port}/{(token is null ? "" : $"?token={token}")}"));
    }

    /// <summary>Serves until <paramref name="cancellationToken"/> is cancelled, then stops.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        await app.StopAsync(CancellationToken.None).ConfigureAwait(false);
    }

    public ValueTask DisposeAsync() => app.DisposeAsync();
}
