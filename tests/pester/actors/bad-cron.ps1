# A cron schedule with a minute that does not exist.
function Report {
    [ArqCron('61 * * * *')]
    param()
}
