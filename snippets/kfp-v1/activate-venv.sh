# Use the venv in this shell: from now on, python and pip are the ones in kfp-v1/
# shellcheck disable=SC1091  # the venv is made by the install step before
source kfp-v1/bin/activate
