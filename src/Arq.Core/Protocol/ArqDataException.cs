using MessagePack;

namespace Arq.Protocol;

/// <summary>
/// MessagePack that is well-formed but not data Arq accepts: a string that is not UTF-8, an extension other than
/// the timestamp, a map key that is nil, an array or a map, or that appears twice. A distinct type, so that an error
/// can say the value is invalid rather than of the wrong type.
/// </summary>
internal sealed class ArqDataException(string message) : MessagePackSerializationException(message);
