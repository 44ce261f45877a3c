# Use the venv in this shell: from now on, python and pip are the ones in kfp-v2/
# shellcheck disable=SC1091  # the venv is made by the install step before
source kfp-v2/bin/activate
