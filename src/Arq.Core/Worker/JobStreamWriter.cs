namespace Arq.Worker;

/// <summary>
/// Keeps what a job writes to its streams, in order, up to a size: past it, records are counted, not kept, so a job
/// that writes without end costs neither memory nor Redis. Jobs may write from several threads.
/// </summary>
internal sealed class JobStreamWriter(int maxBytes)
{
    private readonly List<JobStreamRecord> records = [];
    private long size;
    private long dropped;

    public void Add(JobStreamRecord record)
    {
        lock (records)
        {
            var recordSize = Size(record);
            // Once one record is left out, so are the ones after it: what is kept is what came first, without gaps.
            if (dropped > 0 || size + recordSize > maxBytes)
            {
                dropped++;
                return;
            }
            size += recordSize;
            records.Add(record);
        }
    }

    /// <summary>The records so far.</summary>
    public JobStreams Snapshot()
    {
        lock (records) return new JobStreams(records.ToArray(), dropped);
    }

    /// <summary>About what the record takes in Redis: its text.</summary>
    private static long Size(JobStreamRecord record) =>
        16 + record.Message.Length + record.Tags.Sum(tag => tag.Length + 1) + (record.Error?.Size ?? 0);
}
