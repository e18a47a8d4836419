"""Periodic jobs, safe with any number of schedulers on any number of machines.

Each job has ONE row in the database (`ScheduledJob`); a scheduler runs a job only after it has
taken the row's lease with a conditional UPDATE (compare-and-set on `next_run_at` and the lease),
choosing candidates with `SELECT … FOR UPDATE SKIP LOCKED` on PostgreSQL so schedulers never wait
for each other. So a job runs once per period, however many `run_scheduler` processes (or cron
`run_scheduled` calls) there are. A job's `run` only enqueues tasks; the workers do the work.

Apps register their jobs at start-up (`AppConfig.ready()`), the way models register with the admin::

    from config.scheduling import Every, Daily, Job, register_job

    register_job(Job(name="platform_actions_sweep", schedule=Every(minutes=1), run=enqueue_sweep,
                     label="Utförande: nya försök"))

Later parts (token refresh, notification digests) register their own the same way.
"""

from config.scheduling.jobs import Daily, Every, Job, job, jobs, register_job, unregister_job

__all__ = ["Daily", "Every", "Job", "job", "jobs", "register_job", "unregister_job"]
