# ko: 태스크마다 남긴 결과: 실행마다 폴더 하나, 그 안에 태스크마다 폴더 하나
# en: What each task left: one folder per run, one per task
find local_outputs -name executor_output.json | sort
