using System.Net.Sockets;
using System.Text;

namespace Arq.Tests;

/// <summary>
/// The few raw Redis commands the fixture itself needs (PING, SELECT/FLUSHDB, CONFIG GET), spoken in RESP over a
/// socket so that the fixture depends on no Redis client library and loads beside any version of one.
/// </summary>
internal static class RespLine
{
    /// <summary>Sends one command and returns its reply as text (for an array reply: its last element).</summary>
    public static string Send(string host, int port, params string[] words) => Send(host, port, [words]);

    /// <summary>Sends the commands on one connection and returns the reply to the last.</summary>
    public static string Send(string host, int port, IReadOnlyList<string[]> commands) =>
        Encoding.UTF8.GetString(SendRaw(host, port, commands));

    /// <summary>Sends the commands on one connection and returns the reply to the last as bytes (an empty array for nil).</summary>
    public static byte[] SendRaw(string host, int port, IReadOnlyList<string[]> commands) =>
        SendBinary(host, port, commands.Select(words => words.Select(Encoding.UTF8.GetBytes).ToArray()).ToList());

    /// <summary>Sends commands whose words are bytes and returns the reply to the last as bytes.</summary>
    public static byte[] SendBinary(string host, int port, IReadOnlyList<byte[][]> commands)
    {
        using var client = new TcpClient();
        client.Connect(host, port);
        using var stream = client.GetStream();
        stream.ReadTimeout = 10_000;
        var request = new MemoryStream();
        void Write(string text) => request.Write(Encoding.ASCII.GetBytes(text));
        foreach (var words in commands)
        {
            Write($"*{words.Length}\r\n");
            foreach (var word in words)
            {
                Write($"${word.Length}\r\n");
                request.Write(word);
                Write("\r\n");
            }
        }
        stream.Write(request.ToArray());
        var reader = new BufferedStream(stream);
        var reply = Array.Empty<byte>();
        foreach (var _ in commands) reply = ReadReply(reader);
        return reply;
    }

    private static byte[] ReadReply(Stream stream)
    {
        var line = ReadLine(stream);
        switch (line[0])
        {
            case '+' or ':': return Encoding.UTF8.GetBytes(line[1..]);
            case '-': throw new InvalidOperationException($"Redis replied with an error: {line[1..]}");
            case '$':
                var length = int.Parse(line[1..]);
                if (length < 0) return [];
                var bytes = new byte[length + 2];
                stream.ReadExactly(bytes);
                return bytes[..length];
            case '*':
                var last = Array.Empty<byte>();
                for (var count = int.Parse(line[1..]); count > 0; count--) last = ReadReply(stream);
                return last;
            default: throw new InvalidOperationException($"Unexpected Redis reply: {line}");
        }
    }

    private static string ReadLine(Stream stream)
    {
        var line = new StringBuilder();
        int b;
        while ((b = stream.ReadByte()) != '\n')
        {
            if (b < 0) throw new IOException("Redis closed the connection.");
            if (b != '\r') line.Append((char)b);
        }
        return line.ToString();
    }
}
