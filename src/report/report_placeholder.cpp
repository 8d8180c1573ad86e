namespace myo::report {}
