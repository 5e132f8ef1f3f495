def write_report(work_dir, out_dir):
    raise NotImplementedError
