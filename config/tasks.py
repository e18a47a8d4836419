"""The task API, from Django itself on Django 6 and from the django-tasks backport on 5.2.

Import `task` and friends from here so application code runs unchanged on both.
"""

try:  # Django >= 6.0
    from django.tasks import TaskResultStatus, default_task_backend, task, task_backends  # type: ignore
except ImportError:  # Django 5.2 LTS
    from django_tasks import TaskResultStatus, default_task_backend, task, task_backends

__all__ = ["task", "task_backends", "default_task_backend", "TaskResultStatus"]
