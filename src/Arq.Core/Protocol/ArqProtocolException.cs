namespace Arq.Protocol;

/// <summary>Bytes in Redis that are not a valid arq job or result.</summary>
public sealed class ArqProtocolException : ArqException
{
    /// <summary>Creates the exception; the message names the field and what was wrong with it.</summary>
    public ArqProtocolException(string message, Exception? innerException = null) : base(message, innerException) { }
}
