# What each task left: one folder per run, one per task
find local_outputs -name executor_output.json | sort
