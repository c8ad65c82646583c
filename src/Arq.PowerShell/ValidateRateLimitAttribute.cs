using System.Management.Automation;

namespace Arq.PowerShell;

/// <summary>Refuses text that is not a rate limit (<c>10/s</c>, <c>100/min</c>, <c>5/10s</c>) when the parameter is
/// bound, with what is expected. The parameter stays text: the module's public types name nothing from its isolated
/// dependencies.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class ValidateRateLimitAttribute : ValidateArgumentsAttribute
{
    /// <inheritdoc/>
    protected override void Validate(object arguments, EngineIntrinsics engineIntrinsics)
    {
        var text = (arguments is PSObject wrapped ? wrapped.BaseObject : arguments)?.ToString();
        try
        {
            Worker.RateLimit.Parse(text ?? "");
        }
        catch (FormatException e)
        {
            throw new ValidationMetadataException(e.Message, e);
        }
    }
}
