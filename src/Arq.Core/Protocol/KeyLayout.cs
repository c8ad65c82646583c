namespace Arq.Protocol;

/// <summary>How Arq names its keys in Redis (<see cref="QueueKeys"/>).</summary>
public enum KeyLayout
{
    /// <summary>arq 0.26's names (docs/protocol.md §2): a queue's sorted set is named like the queue, a job's keys are
    /// global (<c>arq:job:&lt;id&gt;</c>, <c>arq:result:&lt;id&gt;</c>...). Python arq shares these queues.</summary>
    Arq,

    /// <summary>For Redis Cluster: every key of a queue starts with the queue's name as a hash tag (<c>{emails}</c>,
    /// <c>{emails}:job:&lt;id&gt;</c>, <c>{emails}:abort</c>...), so each queue lives in one slot, where its scripts
    /// stay atomic, and different queues spread over the shards. Python arq cannot share these queues.</summary>
    Cluster,
}
