def export(work_dir, out_dir, version):
    raise NotImplementedError
