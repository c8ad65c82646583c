using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Arq.Tests.Hosting;

/// <summary>A test's own Redis database, and a host builder whose configuration points Arq at it, as
/// <c>appsettings.json</c> would.</summary>
public abstract class HostedRedis : IDisposable
{
    protected RedisTestDatabase Db { get; } = RedisTestServer.Shared.CreateDatabase();

    protected HostApplicationBuilder CreateBuilder(params (string Key, string Value)[] settings)
    {
        // The defaults a service gets, in Development: scopes validated, as a developer would first run it.
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], EnvironmentName = Environments.Development, ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Arq:Redis"] = Db.Url,
            ["Arq:Worker:PollDelay"] = "00:00:00.050",
        });
        builder.Configuration.AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value)));
        return builder;
    }

    public void Dispose()
    {
        Db.Dispose();
        GC.SuppressFinalize(this);
    }
}
