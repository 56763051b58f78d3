# shellcheck shell=bash
# Sourced by the comparison scripts (this chapter's compare.sh, and the speed chapter's
# compare.sh and compare_conv.sh): the pinned versions of PyTorch and NumPy, and
# `torch_venv VENV`, which makes VENV a Python virtual environment holding them, the first time
# (and again only if it holds other versions).
#
# PyTorch's Linux wheel on PyPI is built for CUDA and will not import without NVIDIA's
# libraries, even on a machine without a GPU: torch is installed without its dependencies, then
# only the libraries `import torch` loads (not triton, cuda-bindings, cusolver): about 4.1 GB and
# a minute, against 5.3 GB for `pip install torch`. TORCH_INSTALL=full installs it the ordinary
# way. The computation runs on the CPU.

numpy_version=2.4.6
torch_version=2.15.0
# What torch 2.15.0's Linux wheel loads when imported (its Requires-Dist, less triton,
# cuda-bindings and the cusolver extra, which `import torch` and the CPU never touch).
torch_deps=(
    filelock 'typing-extensions>=4.13.0' 'setuptools>=77.0.3' 'sympy>=1.13.3' 'networkx>=2.5.1'
    jinja2 'fsspec>=0.8.5'
    'cuda-toolkit[cublas,cudart,cufft,cufile,cupti,cusparse,nvjitlink,nvrtc]==13.2.2'
    nvidia-cudnn-cu13==9.26.0.51 nvidia-cusparselt-cu13==0.8.1 nvidia-nccl-cu13==2.30.7
    nvidia-nvshmem-cu13==3.7.2
)

has() { # has VENV 'python expression' 'expected output'
    [ -x "$1/bin/python" ] && [ "$("$1/bin/python" -c "$2" 2>/dev/null)" = "$3" ]
}

torch_venv() { # torch_venv VENV
    local venv=$1 started
    if has "$venv" 'import numpy, torch; print(numpy.__version__, torch.__version__.split("+")[0])' \
        "$numpy_version $torch_version"; then
        return 0
    fi
    echo "installing PyTorch $torch_version and NumPy $numpy_version into $venv (about a minute, 4-5 GB)"
    python3 -m venv "$venv"
    started=$(date +%s)
    if [ "${TORCH_INSTALL:-}" = full ]; then
        "$venv/bin/pip" install --quiet --no-cache-dir "torch==$torch_version" "numpy==$numpy_version"
    else
        "$venv/bin/pip" install --quiet --no-cache-dir --no-deps "torch==$torch_version"
        # pip warns that triton and cuda-bindings are missing: that is the point.
        "$venv/bin/pip" install --quiet --no-cache-dir "${torch_deps[@]}" "numpy==$numpy_version" \
            2> >(grep -v -E "dependency resolver|requires (triton|cuda-bindings)" >&2)
    fi
    echo "installed in $(($(date +%s) - started)) s; $(du -sh "$venv" | cut -f1) on disk"
    has "$venv" 'import torch; print(torch.ones(2).sum().item())' 2.0 ||
        { echo "PyTorch does not import in $venv" >&2; return 1; }
}
