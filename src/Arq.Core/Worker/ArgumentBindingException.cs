namespace Arq.Worker;

/// <summary>A job's arguments do not fit its function; the message names the parameter and the expected type.</summary>
public sealed class ArgumentBindingException(string message, Exception? innerException = null)
    : ArqException(message, innerException);
