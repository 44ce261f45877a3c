# ko: 지금 셸에서 venv를 활성화합니다. 이제부터 python과 pip는 kfp-v1/ 안의 것이 실행됩니다
# en: Use the venv in this shell: from now on, python and pip are the ones in kfp-v1/
# shellcheck disable=SC1091  # the venv is made by the install step before
source kfp-v1/bin/activate
