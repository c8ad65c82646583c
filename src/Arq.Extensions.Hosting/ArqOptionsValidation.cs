using Arq.Worker;
using Microsoft.Extensions.Options;

namespace Arq.Hosting;

/// <summary>Checks the settings when the host starts, with the rules the engine applies, and names the setting
/// that is wrong: a host with a bad connection string or a zero job limit does not start.</summary>
internal sealed class ArqOptionsValidation : IValidateOptions<ArqOptions>, IValidateOptions<ArqWorkerServiceOptions>
{
    public ValidateOptionsResult Validate(string? name, ArqOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.DefaultQueue)) return ValidateOptionsResult.Fail($"{ArqOptions.SectionName}:DefaultQueue must name a queue.");
        if (options.ExpiresExtra <= TimeSpan.Zero) return ValidateOptionsResult.Fail($"{ArqOptions.SectionName}:ExpiresExtra must be positive, but is {options.ExpiresExtra}.");
        try
        {
            RedisConnector.Parse(options.Redis);
            return ValidateOptionsResult.Success;
        }
        catch (ArgumentException e)
        {
            return ValidateOptionsResult.Fail($"{ArqOptions.SectionName}:Redis: {e.Message}");
        }
    }

    public ValidateOptionsResult Validate(string? name, ArqWorkerServiceOptions options)
    {
        try
        {
            // No queues means ArqOptions.DefaultQueue, which is checked with the client's settings.
            options.ToWorkerOptions(new ArqOptions(), TimeProvider.System, services: null).Validate();
            return ValidateOptionsResult.Success;
        }
        catch (ArgumentException e)
        {
            return ValidateOptionsResult.Fail($"{ArqWorkerServiceOptions.SectionName}:{e.ParamName}: {e.Message.Split(" (Parameter")[0]}");
        }
        catch (FormatException e) // the only text read as a value of its own type
        {
            return ValidateOptionsResult.Fail($"{ArqWorkerServiceOptions.SectionName}:{nameof(options.RateLimit)}: {e.Message}");
        }
    }
}
