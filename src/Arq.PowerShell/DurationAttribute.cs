using System.Globalization;
using System.Management.Automation;

namespace Arq.PowerShell;

/// <summary>
/// Reads a duration parameter the way people write one: a number is seconds (arq's unit), anything else converts as
/// PowerShell converts to <see cref="TimeSpan"/> ('00:05:00', New-TimeSpan). Then it refuses a value below the
/// minimum, naming the parameter and the value.
/// </summary>
/// <remarks>
/// Without it, PowerShell turns a bare number into ticks: <c>-KeepResult -1</c> was minus one tick (results gone
/// within a millisecond), <c>-JobTimeout 30</c> three microseconds, and the string '30' thirty days.
/// </remarks>
[AttributeUsage(AttributeTargets.Property)]
public sealed class DurationAttribute : ArgumentTransformationAttribute
{
    /// <summary>Whether zero is a meaningful value (for example "keep no result").</summary>
    public bool AllowZero { get; set; }

    /// <summary>Added to the error for a value below the minimum: what to write instead.</summary>
    public string? Hint { get; set; }

    /// <inheritdoc/>
    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
    {
        var duration = ToTimeSpan(inputData is PSObject wrapped ? wrapped.BaseObject : inputData);
        if (duration < TimeSpan.Zero || (duration == TimeSpan.Zero && !AllowZero))
        {
            var allowed = AllowZero ? "zero or positive" : "positive";
            throw new ArgumentTransformationMetadataException(
                $"The duration must be {allowed}, but is {duration}.{(Hint is null ? "" : " " + Hint)}", null);
        }
        return duration;
    }

    private static TimeSpan ToTimeSpan(object? value)
    {
        switch (value)
        {
            case TimeSpan timeSpan: return timeSpan;
            case int or long or short or byte or sbyte or uint or ulong or ushort or double or float or decimal:
                return Seconds(Convert.ToDouble(value, CultureInfo.InvariantCulture));
            case string text when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds):
                return Seconds(seconds);
            default:
                try
                {
                    return LanguagePrimitives.ConvertTo<TimeSpan>(value);
                }
                catch (PSInvalidCastException e)
                {
                    throw new ArgumentTransformationMetadataException(
                        $"'{value}' is not a duration: give seconds (30), a time span ('00:05:00') or New-TimeSpan.", e);
                }
        }
    }

    private static TimeSpan Seconds(double seconds) =>
        double.IsFinite(seconds) && Math.Abs(seconds) <= TimeSpan.MaxValue.TotalSeconds
            ? TimeSpan.FromSeconds(seconds)
            : throw new ArgumentTransformationMetadataException($"{seconds} seconds is not a duration a TimeSpan can hold.", null);
}
