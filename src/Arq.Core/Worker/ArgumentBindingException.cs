namespace Arq.Worker;

/// <summary>A job's arguments do not fit its function; the message names the parameter and the expected type.</summary>
/// <remarks>The binding rules' messages live here once, for the .NET binder and the PowerShell functions alike.</remarks>
public sealed class ArgumentBindingException(string message, Exception? innerException = null)
    : ArqException(message, innerException)
{
    internal static ArgumentBindingException TooManyPositional(string function, int takes, int given) =>
        new($"{function} takes {takes} argument(s) but the job has {given} positional ones.");

    internal static ArgumentBindingException NoSuchParameter(string function, string name, IEnumerable<string> parameters)
    {
        var list = string.Join(", ", parameters);
        return new($"{function} has no parameter named '{name}'; its parameters are: {(list.Length == 0 ? "none" : list)}.");
    }

    /// <param name="function">The function.</param>
    /// <param name="parameter">The parameter.</param>
    /// <param name="typeName">Its type, where the function declares one.</param>
    internal static ArgumentBindingException Missing(string function, string parameter, string? typeName = null) =>
        new($"{function} is missing the argument '{parameter}'{(typeName is null ? "" : $" ({typeName})")}.");

    /// <param name="function">The function.</param>
    /// <param name="which">Which argument, as the message shows it: <c>'name'</c> or <c>at position 2</c>.</param>
    /// <param name="reason">Why its data is not valid.</param>
    /// <param name="innerException">What found it.</param>
    internal static ArgumentBindingException NotValid(string function, string which, string reason, Exception innerException) =>
        new($"{function}: the argument {which} is not valid: {reason}", innerException);

    /// <param name="function">The function.</param>
    /// <param name="which">The argument (or its member) as the message shows it, such as <c>'order'</c>.</param>
    /// <param name="key">The key that matches nothing.</param>
    /// <param name="members">The members it has.</param>
    internal static ArgumentBindingException NoSuchMember(string function, string which, string key, IEnumerable<string> members) =>
        new($"{function}: the argument {which} has no member '{key}'; its members are: {string.Join(", ", members)}.");

    /// <param name="function">The function.</param>
    /// <param name="which">The argument (or its member) as the message shows it, such as <c>'order'</c>.</param>
    /// <param name="member">The required member that no key gives.</param>
    /// <param name="typeName">Its type.</param>
    internal static ArgumentBindingException MissingMember(string function, string which, string member, string typeName) =>
        new($"{function}: the argument {which} is missing its member '{member}' ({typeName}).");
}
