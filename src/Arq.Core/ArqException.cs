namespace Arq;

/// <summary>The base of every error that Arq raises itself.</summary>
public class ArqException : Exception
{
    /// <summary>Creates the exception with a message that says what went wrong.</summary>
    public ArqException(string message, Exception? innerException = null) : base(message, innerException) { }
}
