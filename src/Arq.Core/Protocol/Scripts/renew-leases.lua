-- Renews the leases of running jobs. ARGV: lease ms, then job ids. Only existing keys are extended: a job that has
-- just finished or been retried has no key, and must not get one back.
for i = 2, #ARGV do redis.call('PEXPIRE', IN_PROGRESS .. ARGV[i], ARGV[1]) end
return #ARGV - 1
